package dev.athanor.systemtests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.ExportableRecords;
import dev.athanor.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** An experiment's export compared with {@code athanor inspect} of the files it was uploaded from. */
public final class ExportedPoints {

    private ExportedPoints() {
    }

    /**
     * Waits (indexing follows the acknowledgement) until the export of {@code experimentId} holds as
     * many values as inspect of {@code logdir} says, then asserts they are the same set, each once.
     *
     * @param get GET of a path of query-service (e.g. {@code /api/v1/export?experiment=1}), answering its body
     */
    public static void assertExportEqualsInspect(Function<String, String> get, long experimentId, Path logdir,
                                                 Duration timeout) throws InterruptedException {
        List<String> expected = ExportableRecords.of(logdir).stream().map(ExportedPoints::point).sorted().toList();
        AtomicReference<List<String>> exported = new AtomicReference<>(List.of());
        Await.holdsWithin(timeout, Duration.ofMillis(250), () -> {
            exported.set(get.apply("/api/v1/export?experiment=" + experimentId).lines()
                    .map(line -> point(ExportableRecords.parse(line))).sorted().toList());
            return exported.get().size() >= expected.size();
        });
        assertThat(exported.get()).as("experiment %d: the export equals inspect of %s, every point exactly once",
                experimentId, logdir).isEqualTo(expected);
    }

    /** A scalar record as numbers, whatever text each side printed them with. */
    public static String point(JsonNode record) {
        JsonNode value = record.get("value");
        return record.get("run").asText() + " " + record.get("tag").asText() + " " + record.get("step").asLong() + " "
                + record.get("wall_time").asDouble() + " " + (value.isNumber() ? Double.toString(value.asDouble()) : value.asText());
    }
}
