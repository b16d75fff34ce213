package dev.athanor.bench.parse;

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
 * Writes the scalar-heavy benchmark file the way TF2's {@code tf.summary.scalar} does: one
 * Summary.Value per event, a rank-0 DT_FLOAT tensor in {@code tensor_content}, and the "scalars"
 * plugin metadata only on the first value of each tag. A few tags take turns, step by step.
 */
final class ScalarFileGenerator {

    static final List<String> TAGS = List.of("train/loss", "train/accuracy", "train/learning_rate", "eval/loss");
    private static final String MARKER = "generated.properties";
    private static final String VERSION = "1";

    private ScalarFileGenerator() {
    }

    /**
     * The event file in {@code dir}, written unless an earlier run left one made with the same
     * parameters: at least {@code minEvents} scalar events and at least {@code minBytes} bytes.
     */
    static Path ensure(Path dir, long minEvents, long minBytes) throws IOException {
        Properties wanted = new Properties();
        wanted.setProperty("version", VERSION);
        wanted.setProperty("minEvents", Long.toString(minEvents));
        wanted.setProperty("minBytes", Long.toString(minBytes));
        Path marker = dir.resolve(MARKER);
        Path existing = singleEventFile(dir);
        if (existing != null && Files.exists(marker)) {
            Properties found = new Properties();
            try (Reader in = Files.newBufferedReader(marker)) {
                found.load(in);
            }
            if (found.equals(wanted)) {
                return existing;
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Path file = write(dir, minEvents, minBytes);
        try (Writer out = Files.newBufferedWriter(marker)) {
            wanted.store(out, "parameters of the generated benchmark file");
        }
        return file;
    }

    private static Path write(Path dir, long minEvents, long minBytes) throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (EventFileWriter writer = EventFileWriter.create(dir, clock)) {
            long events = 0;
            for (long step = 0; events < minEvents || writer.position() < minBytes; step++) {
                for (int t = 0; t < TAGS.size(); t++) {
                    writer.write(Tf2Scalars.event(TAGS.get(t), step, 1_735_689_600.0 + step * 0.05 + t * 0.001,
                            valueAt(t, step), step == 0));
                    events++;
                }
            }
            return writer.file();
        }
    }

    /** Smooth curves with a little deterministic noise, like real training. */
    private static float valueAt(int tag, long step) {
        double noise = ((step * 2654435761L + tag * 40503L) % 1000) / 1000.0 - 0.5;
        return switch (tag) {
            case 0 -> (float) (2.5 * Math.exp(-step / 50_000.0) + 0.05 * noise);
            case 1 -> (float) (1 - 0.9 * Math.exp(-step / 40_000.0) + 0.01 * noise);
            case 2 -> (float) (1e-3 * Math.pow(0.5, step / 100_000.0));
            default -> (float) (2.6 * Math.exp(-step / 55_000.0) + 0.08 * noise);
        };
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
}
