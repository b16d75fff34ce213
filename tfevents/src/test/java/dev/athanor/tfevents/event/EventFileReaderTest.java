package dev.athanor.tfevents.event;

import static dev.athanor.tfevents.record.FrameBytes.concat;
import static dev.athanor.tfevents.record.FrameBytes.flip;
import static dev.athanor.tfevents.record.FrameBytes.frame;
import static dev.athanor.tfevents.record.FrameBytes.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileReaderTest {

    private static final String SOURCE = "run/events.out.tfevents.test";

    @TempDir
    Path dir;

    private static Event scalar(long step, float value) {
        return Event.newBuilder().setWallTime(1_700_000_000.0 + step).setStep(step)
                .setSummary(Summary.newBuilder().addValue(
                        Summary.Value.newBuilder().setTag("loss").setSimpleValue(value)))
                .build();
    }

    private static final byte[] E1 = scalar(1, 0.5f).toByteArray();
    private static final byte[] E2 = scalar(2, 0.25f).toByteArray();
    private static final byte[] E3 = scalar(3, 0.125f).toByteArray();

    /** All a reader delivered until it had no complete record left. */
    private record Read(List<EventRecord> events, List<ReadProblem> problems, EventFileReader reader) {
        List<Long> steps() {
            return events.stream().map(e -> e.event().getStep()).toList();
        }
    }

    private static Read readAll(byte[] bytes, boolean complete) throws IOException {
        List<ReadProblem> problems = new ArrayList<>();
        EventFileReader reader = new EventFileReader(
                new TfRecordReader(Channels.newChannel(new ByteArrayInputStream(bytes)), SOURCE), problems::add);
        if (complete) {
            reader.markComplete();
        }
        return drain(reader, problems);
    }

    private static Read drain(EventFileReader reader, List<ReadProblem> problems) throws IOException {
        List<EventRecord> events = new ArrayList<>();
        for (EventRecord e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return new Read(events, problems, reader);
    }

    @Test
    void emptyFileGivesNothingAndNoProblem() throws IOException {
        Path file = Files.createFile(dir.resolve("events.out.tfevents.0.host"));
        List<ReadProblem> problems = new ArrayList<>();
        try (EventFileReader reader = EventFileReader.open(file, problems::add)) {
            assertThat(reader.next()).isNull();
            assertThat(reader.truncatedTailBytes()).isZero();
            assertThat(reader.position()).isZero();
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void zeroLengthRecordIsReportedAndSkipped() throws IOException {
        Read read = readAll(concat(frame(E1), frame(new byte[0]), frame(E2)), false);
        assertThat(read.steps()).containsExactly(1L, 2L);
        long emptyOffset = 16 + E1.length;
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.EMPTY_RECORD);
            assertThat(p.offset()).isEqualTo(emptyOffset);
            assertThat(p.skippedBytes()).isZero();
            assertThat(p.message()).contains(SOURCE, "offset " + emptyOffset, "empty");
        });
    }

    @Test
    void lengthCrcMismatchIsReportedWithSkippedBytesAndNeighboursSurvive() throws IOException {
        byte[] bytes = concat(frame(E1), flip(frame(E2), 8, 0), frame(E3));
        Read read = readAll(bytes, false);
        assertThat(read.steps()).containsExactly(1L, 3L);
        long badOffset = 16 + E1.length;
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.CORRUPT_FRAME);
            assertThat(p.offset()).isEqualTo(badOffset);
            assertThat(p.skippedBytes()).isEqualTo(16 + E2.length);
            assertThat(p.message()).contains(SOURCE, "offset " + badOffset, "length CRC mismatch",
                    "skipped " + (16 + E2.length) + " bytes");
        });
        assertThat(read.events().get(1).offset()).isEqualTo(badOffset + 16 + E2.length);
    }

    @Test
    void payloadCrcMismatchIsReportedWithSkippedBytesAndNeighboursSurvive() throws IOException {
        byte[] bytes = concat(frame(E1), flip(frame(E2), 15, 4), frame(E3));
        Read read = readAll(bytes, false);
        assertThat(read.steps()).containsExactly(1L, 3L);
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.CORRUPT_FRAME);
            assertThat(p.message()).contains(SOURCE, "offset " + (16 + E1.length), "payload CRC mismatch");
        });
    }

    @Test
    void truncatedHeaderIsACleanStopThatResumesWhenTheFileGrows() throws IOException {
        Path file = dir.resolve("events.out.tfevents.1.host");
        byte[] second = frame(E2);
        Files.write(file, concat(frame(E1), Arrays.copyOf(second, 9)));
        List<ReadProblem> problems = new ArrayList<>();
        try (EventFileReader reader = EventFileReader.open(file, problems::add)) {
            assertThat(reader.next().event().getStep()).isEqualTo(1);
            assertThat(reader.next()).isNull();
            assertThat(reader.truncatedTailBytes()).isEqualTo(9);
            long resumeAt = reader.position();
            assertThat(resumeAt).isEqualTo(16 + E1.length);

            Files.write(file, concat(Arrays.copyOfRange(second, 9, second.length), frame(E3)), StandardOpenOption.APPEND);
            assertThat(reader.next().event().getStep()).isEqualTo(2);
            assertThat(reader.next().event().getStep()).isEqualTo(3);
            assertThat(reader.next()).isNull();
            assertThat(reader.truncatedTailBytes()).isZero();

            List<ReadProblem> resumedProblems = new ArrayList<>();
            try (EventFileReader resumed = EventFileReader.open(file, resumeAt, resumedProblems::add)) {
                Read read = drain(resumed, resumedProblems);
                assertThat(read.steps()).containsExactly(2L, 3L);
                assertThat(read.events().get(0).offset()).isEqualTo(resumeAt);
            }
            assertThat(resumedProblems).isEmpty();
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void truncatedPayloadIsACleanStopUntilTheFileIsKnownComplete() throws IOException {
        byte[] second = frame(E2);
        byte[] bytes = concat(frame(E1), Arrays.copyOf(second, second.length - 3));
        Read tailing = readAll(bytes, false);
        assertThat(tailing.steps()).containsExactly(1L);
        assertThat(tailing.problems()).isEmpty();
        assertThat(tailing.reader().truncatedTailBytes()).isEqualTo(second.length - 3);

        tailing.reader().markComplete();
        assertThat(tailing.reader().next()).isNull();
        assertThat(tailing.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.CORRUPT_FRAME);
            assertThat(p.offset()).isEqualTo(16 + E1.length);
            assertThat(p.skippedBytes()).isEqualTo(second.length - 3);
            assertThat(p.message()).contains(SOURCE, "offset " + (16 + E1.length), "ends " + (second.length - 3) + " bytes into");
        });
        assertThat(tailing.reader().position()).isEqualTo(bytes.length);
    }

    @Test
    void lengthOfTwoToTheSixtyThirdIsReportedAndReadingGoesOn() throws IOException {
        byte[] bytes = concat(frame(E1), header(1L << 63), frame(E2));
        Read read = readAll(bytes, false);
        assertThat(read.steps()).containsExactly(1L, 2L);
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.CORRUPT_FRAME);
            assertThat(p.skippedBytes()).isEqualTo(12);
            assertThat(p.message()).contains(SOURCE, "offset " + (16 + E1.length), "9223372036854775808", "exceeds");
        });
    }

    @Test
    void randomGarbageGivesOneLocatedProblemAndNoEvents() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(99).nextBytes(garbage);
        Read read = readAll(garbage, true);
        assertThat(read.events()).isEmpty();
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.offset()).isZero();
            assertThat(p.skippedBytes()).isEqualTo(garbage.length);
            assertThat(p.message()).contains(SOURCE, "offset 0");
        });
    }

    @Test
    void garbageBetweenEventsLosesNoEvent() throws IOException {
        byte[] garbage = new byte[333];
        new Random(5).nextBytes(garbage);
        Read read = readAll(concat(frame(E1), garbage, frame(E2), garbage, frame(E3)), false);
        assertThat(read.steps()).containsExactly(1L, 2L, 3L);
        assertThat(read.problems()).extracting(ReadProblem::skippedBytes).containsExactly(333L, 333L);
    }

    @Test
    void validFrameHoldingBytesThatAreNotProtobufIsNotAnEvent() throws IOException {
        byte[] text = "this is not an Event at all".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = concat(frame(E1), frame(text), frame(E2));
        Read read = readAll(bytes, false);
        assertThat(read.steps()).containsExactly(1L, 2L);
        long offset = 16 + E1.length;
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.NOT_AN_EVENT);
            assertThat(p.offset()).isEqualTo(offset);
            assertThat(p.skippedBytes()).isZero();
            assertThat(p.message()).contains(SOURCE, "offset " + offset, text.length + " bytes",
                    "not a tensorboard.Event");
        });
        assertThat(read.events().get(1).offset()).isEqualTo(offset + 16 + text.length);
    }

    @Test
    void validFrameHoldingOnlyUnknownFieldsIsNotAnEvent() throws IOException {
        // Field 100, varint 5: well-formed protobuf, but nothing an Event knows.
        byte[] foreign = {(byte) 0xA0, 0x06, 0x05};
        Read read = readAll(concat(frame(foreign), frame(E3)), false);
        assertThat(read.steps()).containsExactly(3L);
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.NOT_AN_EVENT);
            assertThat(p.offset()).isZero();
            assertThat(p.message()).contains(SOURCE, "offset 0", "no known field");
        });
    }

    @Test
    void strayEndGroupTagDoesNotPassForAnEmptyEvent() throws IOException {
        // Tag 0x0C is field 1 with wire type 4 (end group): it ends parsing at once and would
        // leave an empty Event if nothing checked how the message ended.
        byte[] strayEnd = {0x0C, 0x01, 0x02};
        Read read = readAll(concat(frame(strayEnd), frame(E1)), false);
        assertThat(read.steps()).containsExactly(1L);
        assertThat(read.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ReadProblem.Kind.NOT_AN_EVENT);
            assertThat(p.message()).contains(SOURCE, "offset 0", "3 bytes", "end-group tag");
        });
    }

    @Test
    void bytesFieldsOfParsedEventsHoldTheRightBytes() throws IOException {
        byte[] image = dev.athanor.tfevents.record.FrameBytes.payload(5000, 8);
        byte[] withImage = Event.newBuilder().setStep(9).setSummary(Summary.newBuilder().addValue(
                Summary.Value.newBuilder().setTag("img").setImage(Summary.Image.newBuilder()
                        .setEncodedImageString(com.google.protobuf.ByteString.copyFrom(image)))))
                .build().toByteArray();
        Read read = readAll(concat(frame(E1), frame(withImage), frame(E2)), false);
        assertThat(read.steps()).containsExactly(1L, 9L, 2L);
        assertThat(read.events().get(1).event().getSummary().getValue(0).getImage().getEncodedImageString()
                .toByteArray()).isEqualTo(image);
    }

    @Test
    void payloadIsKeptByteExact() throws IOException {
        Read read = readAll(concat(frame(E1), frame(E2)), false);
        assertThat(read.events().get(0).payload()).isEqualTo(E1);
        assertThat(read.events().get(1).payload()).isEqualTo(E2);
        assertThat(read.events().get(1).endOffset()).isEqualTo(32 + E1.length + E2.length);
    }

    @Test
    void writerOutputReadsBackWithTheVersionRecordFirst() throws IOException {
        Path file;
        try (EventFileWriter writer = EventFileWriter.create(dir.resolve("run"))) {
            file = writer.file();
            for (int step = 0; step < 1000; step++) {
                writer.write(scalar(step, step / 1000f));
            }
        }
        assertThat(EventFileNames.isEventFile(file.getFileName().toString())).isTrue();
        List<ReadProblem> problems = new ArrayList<>();
        try (EventFileReader reader = EventFileReader.open(file, problems::add)) {
            Read read = drain(reader, problems);
            assertThat(read.events()).hasSize(1001);
            assertThat(read.events().get(0).event().getFileVersion()).isEqualTo(EventFileWriter.FILE_VERSION);
            assertThat(read.events().get(1000).event().getSummary().getValue(0).getSimpleValue()).isEqualTo(0.999f);
            assertThat(reader.position()).isEqualTo(Files.size(file));
        }
        assertThat(problems).isEmpty();
    }
}
