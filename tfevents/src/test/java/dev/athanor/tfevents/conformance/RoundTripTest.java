package dev.athanor.tfevents.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.event.ReadProblem;
import dev.athanor.tfevents.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw first: every fixture read and written back with its payloads unchanged is the same file
 * byte for byte (so raw segments and archives stay openable by stock TensorBoard), and every
 * parsed Event survives serialize → parse unchanged.
 */
class RoundTripTest {

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> rewrittenPayloadsGiveTheOriginalBytes() {
        return Fixtures.eventFiles().stream().map(file -> DynamicTest.dynamicTest(Fixtures.relativeName(file), () -> {
            List<EventRecord> records = read(file);
            Path copy = temp.resolve(file.getFileName().toString());
            try (OutputStream out = Files.newOutputStream(copy);
                 EventFileWriter writer = EventFileWriter.wrap(copy, out)) {
                for (EventRecord record : records) {
                    assertThat(writer.writeSerialized(record.payload())).as("frame offset").isEqualTo(record.offset());
                }
            }
            byte[] original = Files.readAllBytes(file);
            byte[] written = Files.readAllBytes(copy);
            assertThat(written.length).as("%s: size of the rewritten file", Fixtures.relativeName(file))
                    .isEqualTo(original.length);
            assertThat(Arrays.mismatch(written, original)).as("%s: first differing byte", Fixtures.relativeName(file))
                    .isEqualTo(-1);
        }));
    }

    @TestFactory
    Stream<DynamicTest> eventsSurviveSerializeAndParse() {
        return Fixtures.eventFiles().stream().map(file -> DynamicTest.dynamicTest(Fixtures.relativeName(file), () -> {
            List<EventRecord> records = read(file);
            assertThat(records).isNotEmpty();
            for (EventRecord record : records) {
                Event event = record.event();
                Event reparsed = Event.parseFrom(event.toByteArray());
                assertThat(reparsed).as("%s: event at offset %d", Fixtures.relativeName(file), record.offset())
                        .isEqualTo(event);
                assertThat(reparsed.getSerializedSize()).isEqualTo(event.getSerializedSize());
            }
        }));
    }

    private static List<EventRecord> read(Path file) throws IOException {
        List<ReadProblem> problems = new ArrayList<>();
        List<EventRecord> records = new ArrayList<>();
        try (EventFileReader reader = EventFileReader.open(file, problems::add)) {
            for (EventRecord record; (record = reader.next()) != null; ) {
                records.add(record);
            }
            assertThat(reader.truncatedTailBytes()).as("%s: truncated tail", file).isZero();
        }
        assertThat(problems).as("%s: read problems", file).isEmpty();
        return records;
    }
}
