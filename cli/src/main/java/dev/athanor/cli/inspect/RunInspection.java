package dev.athanor.cli.inspect;

import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.tfevents.decode.DecodeProblem;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.RunDecoder;
import dev.athanor.tfevents.decode.SimpleScalarRecord;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.logdir.Run;
import dev.athanor.tfevents.compat.TimeSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads one run's event files in order for {@code athanor inspect}: its per-tag statistics, record
 * and byte counts, and the messages for stderr. Runs are independent, so several may be read at
 * once, each by its own instance (an instance is not thread-safe).
 *
 * <p>For the table (no per-value output), a record of the plain scalar shape whose tag is already
 * known as a scalar series is counted from its raw bytes ({@link SimpleScalarRecord}) without a
 * protobuf Event: the full decoder would give the same tag and step, which is all the table needs.
 */
final class RunInspection {

    /** Called with every decoded value when the caller prints values (jsonl). */
    @FunctionalInterface
    interface ValueSink {
        void accept(String run, DecodedValue value) throws IOException;
    }

    private final Run run;
    private final Consumer<String> messages;
    private final ValueSink values;
    private final Map<String, TagStats> tags = new TreeMap<>();
    private final SimpleScalarRecord simple = new SimpleScalarRecord();
    /** Tags whose series is known as scalar, with their stats (the same objects as in {@link #tags}). */
    private final Map<String, TagStats> knownScalars = new HashMap<>();
    private RunDecoder decoder;
    private long records;
    private long bytes;
    private boolean failed;

    /**
     * @param messages where stderr lines go, in order
     * @param values   null for the table, which lets known scalar records skip the full decode
     */
    RunInspection(Run run, Consumer<String> messages, ValueSink values) {
        this.run = run;
        this.messages = messages;
        this.values = values;
    }

    RunInspection read() throws IOException {
        decoder = new RunDecoder(run.name(), (DecodeProblem problem) ->
                messages.accept("athanor inspect: warning: " + problem.message()));
        EventFileReader.PayloadShortcut shortcut = values == null ? this::countKnownScalar : (payload, offset) -> false;
        for (Path file : run.eventFiles()) {
            try (EventFileReader reader = EventFileReader.open(file, problem -> {
                failed = true;
                messages.accept("athanor inspect: error: " + problem.message());
            })) {
                EventRecord record;
                while ((record = reader.next(shortcut)) != null) {
                    records++;
                    for (DecodedValue value : decoder.decode(record)) {
                        tags.computeIfAbsent(value.tag(), t -> new TagStats(value)).add(value.step());
                        if (values != null) {
                            values.accept(run.name(), value);
                        }
                    }
                }
                if (reader.truncatedTailBytes() > 0) {
                    messages.accept(String.format("athanor inspect: note: %s ends with an incomplete record"
                                    + " (%d bytes after offset %d); a file still being written looks like this",
                            file, reader.truncatedTailBytes(), reader.position()));
                }
                bytes += reader.position() + reader.truncatedTailBytes();
            } catch (IOException e) {
                messages.accept("athanor inspect: " + file + ": cannot be read: " + e.getMessage());
                failed = true;
            }
        }
        return this;
    }

    private boolean countKnownScalar(byte[] payload, long offset) {
        if (!simple.parse(payload, 0, payload.length)) {
            return false;
        }
        TagStats stats = knownScalars.get(simple.tag());
        if (stats == null) {
            // A tag's series is fixed by its first value, so once known as scalar it stays so.
            TimeSeries series = decoder.tags().get(simple.tag());
            if (series == null || series.dataClass() != DataClass.DATA_CLASS_SCALAR) {
                return false;
            }
            stats = tags.get(simple.tag());
            knownScalars.put(simple.tag(), stats);
        }
        records++;
        stats.add(simple.step());
        return true;
    }

    String name() {
        return run.name();
    }

    Map<String, TagStats> tags() {
        return tags;
    }

    long records() {
        return records;
    }

    long bytes() {
        return bytes;
    }

    boolean failed() {
        return failed;
    }
}
