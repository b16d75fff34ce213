package dev.athanor.ingest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.tfevents.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected index contents from the fixtures' golden JSON: the scalar series of a run, with
 * TensorBoard's rewind rule applied over the run's files in name order (a step at or below the
 * series' last step replaces the points from that step on).
 */
public final class Golden {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Golden() {
    }

    public static JsonNode of(Path eventFile) {
        Path golden = Fixtures.dir().resolve(Fixtures.GOLDEN_DIR).resolve(Fixtures.relativeName(eventFile) + ".json");
        try {
            return MAPPER.readTree(golden.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's scalar series after rewinds, by tag. */
    public static Map<String, List<IndexQueries.Point>> scalars(List<Path> filesInOrder) {
        Map<String, List<IndexQueries.Point>> out = new LinkedHashMap<>();
        for (Path file : filesInOrder) {
            JsonNode tags = of(file).get("tags");
            tags.fields().forEachRemaining(e -> {
                JsonNode scalars = e.getValue().get("scalars");
                if (scalars == null) {
                    return;
                }
                List<IndexQueries.Point> points = out.computeIfAbsent(e.getKey(), t -> new ArrayList<>());
                for (JsonNode p : scalars) {
                    long step = p.get(0).asLong();
                    points.removeIf(existing -> existing.step() >= step);
                    points.add(new IndexQueries.Point(step, p.get(1).asDouble(), number(p.get(2))));
                }
            });
        }
        return out;
    }

    /** Number of points of a tag's histograms/images/tensors entry etc. in one file's golden data. */
    public static int points(Path file, String tag) {
        return of(file).get("tags").get(tag).get("points").asInt();
    }

    private static double number(JsonNode n) {
        if (n.isTextual()) {
            return switch (n.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException(n.asText());
            };
        }
        return n.asDouble();
    }
}
