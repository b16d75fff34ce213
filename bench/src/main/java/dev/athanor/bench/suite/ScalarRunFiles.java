package dev.athanor.bench.suite;

import dev.athanor.bench.Tf2Scalars;
import dev.athanor.tfevents.event.EventFileNames;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One generated run directory holding one event file, written the way TF2's
 * {@code tf.summary.scalar} writes: one value per event, a rank-0 DT_FLOAT tensor in
 * {@code tensor_content}, the "scalars" plugin metadata only on the first value of each tag; the
 * tags take turns step by step. The points are a pure function of (tag, step), so the COPY
 * ceiling can send exactly the same values without reading the files.
 */
public final class ScalarRunFiles {

    public static final List<String> TRAINING_TAGS = List.of("train/loss", "train/accuracy", "train/learning_rate", "eval/loss");
    private static final String MARKER = "generated.properties";
    private static final String VERSION = "1";
    private static final double WALL_TIME_BASE = 1_735_689_600.0;

    private ScalarRunFiles() {
    }

    /**
     * The event file of {@code runDir} with {@code steps} steps of every tag, written unless an
     * earlier run left one with the same parameters.
     */
    public static Path ensure(Path runDir, List<String> tags, long steps) throws IOException {
        Properties wanted = new Properties();
        wanted.setProperty("version", VERSION);
        wanted.setProperty("tags", String.join(",", tags));
        wanted.setProperty("steps", Long.toString(steps));
        // The marker lives beside the run directory: inside it, the uploader would send it as a file of the run.
        Path marker = runDir.resolveSibling(runDir.getFileName() + "." + MARKER);
        Path existing = singleEventFile(runDir);
        if (existing != null && Files.exists(marker)) {
            Properties found = new Properties();
            try (Reader in = Files.newBufferedReader(marker)) {
                found.load(in);
            }
            if (found.equals(wanted)) {
                return existing;
            }
        }
        deleteTree(runDir);
        Path file = write(runDir, tags, steps);
        try (Writer out = Files.newBufferedWriter(marker)) {
            wanted.store(out, "parameters of the generated benchmark run");
        }
        return file;
    }

    private static Path write(Path runDir, List<String> tags, long steps) throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (EventFileWriter writer = EventFileWriter.create(runDir, clock)) {
            for (long step = 0; step < steps; step++) {
                for (int t = 0; t < tags.size(); t++) {
                    writer.write(Tf2Scalars.event(tags.get(t), step, wallTime(t, step), value(t, step), step == 0));
                }
            }
            return writer.file();
        }
    }

    /** Smooth training-like curves with a little deterministic noise; tag indexes past 3 repeat. */
    static float value(int tag, long step) {
        double noise = ((step * 2654435761L + tag * 40503L) % 1000) / 1000.0 - 0.5;
        return switch (tag % 4) {
            case 0 -> (float) (2.5 * Math.exp(-step / 50_000.0) + 0.05 * noise);
            case 1 -> (float) (1 - 0.9 * Math.exp(-step / 40_000.0) + 0.01 * noise);
            case 2 -> (float) (1e-3 * Math.pow(0.5, step / 100_000.0));
            default -> (float) (2.6 * Math.exp(-step / 55_000.0) + 0.08 * noise);
        };
    }

    static double wallTime(int tag, long step) {
        return WALL_TIME_BASE + step * 0.05 + tag * 0.001;
    }

    private static Path singleEventFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> events = files.filter(f -> EventFileNames.isEventFile(f.getFileName().toString())).toList();
            return events.size() == 1 ? events.get(0) : null;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
