package dev.athanor.query.testing;

import com.google.protobuf.ByteString;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.RunDecoder;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Indexes one real event file the way ingest does, for query tests on real data: the file is
 * placed under the hot root as the run's raw segment (byte-exact), decoded with the shared
 * {@link RunDecoder}, and its values written as series, chunks, tensors and blob pointers.
 * Tags whose steps do not strictly increase (rewinds) are left out: resolving them is ingest's job.
 */
public final class FixtureIndexer {

    public record IndexedRun(long runId, Map<String, Long> seriesByTag, Set<String> skippedTags) {
    }

    private FixtureIndexer() {
    }

    public static IndexedRun index(IndexTestData data, Path hotRoot, long experimentId, String runPath, Path eventFile) {
        long runId = data.run(experimentId, runPath);
        String relative = "exp-" + experimentId + "/" + runPath + "/" + eventFile.getFileName();
        Path copy = hotRoot.resolve(relative);
        try {
            Files.createDirectories(copy.getParent());
            Files.copy(eventFile, copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long segmentId = data.segmentRow(runId, relative);

        Map<String, DecodedValue> firstByTag = new LinkedHashMap<>();
        Map<String, List<ScalarPoint>> scalars = new LinkedHashMap<>();
        Map<String, List<TensorPoint>> tensors = new LinkedHashMap<>();
        Map<String, List<Object[]>> blobs = new LinkedHashMap<>();
        Set<String> skipped = new HashSet<>();
        Map<String, Long> lastStep = new HashMap<>();
        RunDecoder decoder = new RunDecoder(runPath);
        try (EventFileReader reader = EventFileReader.open(copy, problem -> { })) {
            EventRecord record;
            while ((record = reader.next()) != null) {
                for (DecodedValue value : decoder.decode(record)) {
                    String tag = value.tag();
                    if (!(value instanceof ScalarPoint) && !(value instanceof TensorPoint)
                            && !(value instanceof BlobSequencePoint)) {
                        continue;
                    }
                    firstByTag.putIfAbsent(tag, value);
                    Long previous = lastStep.put(tag, value.step());
                    if (previous != null && value.step() <= previous) {
                        skipped.add(tag);
                    }
                    switch (value) {
                        case ScalarPoint p -> scalars.computeIfAbsent(tag, t -> new ArrayList<>()).add(p);
                        case TensorPoint p -> tensors.computeIfAbsent(tag, t -> new ArrayList<>()).add(p);
                        case BlobSequencePoint p -> blobs.computeIfAbsent(tag, t -> new ArrayList<>())
                                .add(new Object[] {p, record.offset(), record.payload().length});
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Map<String, Long> seriesByTag = new LinkedHashMap<>();
        for (Map.Entry<String, DecodedValue> entry : firstByTag.entrySet()) {
            String tag = entry.getKey();
            if (skipped.contains(tag)) {
                continue;
            }
            DecodedValue first = entry.getValue();
            long seriesId = data.series(runId, tag, first.pluginName(), first.dataClass().getNumber(),
                    first.series().metadata() == null ? null : first.series().metadata().toByteArray(),
                    first.series().fromLegacyValue());
            seriesByTag.put(tag, seriesId);
            if (scalars.containsKey(tag)) {
                List<ScalarPoint> points = scalars.get(tag);
                long[] steps = new long[points.size()];
                double[] walls = new double[points.size()];
                double[] values = new double[points.size()];
                for (int i = 0; i < points.size(); i++) {
                    steps[i] = points.get(i).step();
                    walls[i] = points.get(i).wallTime();
                    values[i] = points.get(i).value();
                }
                data.scalars(seriesId, steps, walls, values, 7);
            }
            for (TensorPoint p : tensors.getOrDefault(tag, List.of())) {
                data.tensor(seriesId, p.step(), p.wallTime(), p.tensor());
            }
            for (Object[] b : blobs.getOrDefault(tag, List.of())) {
                BlobSequencePoint p = (BlobSequencePoint) b[0];
                int[] lengths = p.blobs().stream().mapToInt(ByteString::size).toArray();
                data.blobPoint(seriesId, p.step(), p.wallTime(), segmentId, (Long) b[1], (Integer) b[2], lengths);
            }
        }
        return new IndexedRun(runId, seriesByTag, skipped);
    }
}
