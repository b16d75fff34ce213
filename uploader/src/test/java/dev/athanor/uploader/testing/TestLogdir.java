package dev.athanor.uploader.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileNames;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Writes event files into a temporary logdir with the project's writer, and checks an upload against them. */
public final class TestLogdir {

    private final Path root;

    public TestLogdir(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A new event file in {@code runPath} ("." for the root). */
    public EventFileWriter newFile(String runPath) throws IOException {
        return EventFileWriter.create(".".equals(runPath) ? root : root.resolve(runPath));
    }

    /** Writes {@code count} scalar events starting at {@code firstStep}, flushing every {@code flushEvery}. */
    public static void writeScalars(EventFileWriter writer, String tag, long firstStep, int count, int flushEvery)
            throws IOException {
        for (int i = 0; i < count; i++) {
            writer.write(scalar(tag, firstStep + i));
            if (flushEvery > 0 && (i + 1) % flushEvery == 0) {
                writer.flush();
            }
        }
        writer.flush();
    }

    public static Event scalar(String tag, long step) {
        return Event.newBuilder().setWallTime(1_700_000_000.0 + step).setStep(step)
                .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
                        .setSimpleValue((float) Math.sin(step * 0.01))))
                .build();
    }

    /** Every event file below the root, as {run path, file}. */
    public List<Path> eventFiles() {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p) && EventFileNames.isEventFile(p.getFileName().toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String runPath(Path file) {
        Path parent = root.relativize(file.getParent());
        return parent.toString().isEmpty() ? "." : parent.toString().replace('\\', '/');
    }

    /** The valid records of a file, read independently of the uploader (corrupt frames skipped). */
    public static List<IngestStore.StoredRecord> records(Path file) throws IOException {
        List<IngestStore.StoredRecord> records = new ArrayList<>();
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            while (true) {
                ReadResult result = reader.next();
                switch (result) {
                    case TfRecord r -> records.add(new IngestStore.StoredRecord(r.offset(), r.payload()));
                    case CorruptRecord c -> reader.resync();
                    case EndOfData e -> {
                        return records;
                    }
                }
            }
        }
    }

    /** Asserts that the server holds every record of every file exactly once, byte for byte, at its offset. */
    public void assertUploadedExactly(IngestStore store, String experimentId) throws IOException {
        assertThat(store.violations()).as("contract violations on the server").isEmpty();
        List<Path> files = eventFiles();
        assertThat(files).isNotEmpty();
        long total = 0;
        for (Path file : files) {
            List<IngestStore.StoredRecord> expected = records(file);
            List<IngestStore.StoredRecord> stored = store.records(experimentId, runPath(file),
                    file.getFileName().toString());
            assertThat(stored).as("records of %s", root.relativize(file)).hasSize(expected.size())
                    .containsExactlyElementsOf(expected);
            total += expected.size();
        }
        assertThat(store.acceptedRecords()).as("records stored in total").isEqualTo(total);
    }
}
