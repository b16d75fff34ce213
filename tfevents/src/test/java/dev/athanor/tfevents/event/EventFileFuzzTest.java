package dev.athanor.tfevents.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.testing.OptionalPart;
import dev.athanor.tfevents.record.FrameBytes;
import dev.athanor.tfevents.record.RecordDrain;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import dev.athanor.tfevents.record.TfRecordWriter;
import dev.athanor.tfevents.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random damage to real-looking event files: bit flips, truncations, inserted and deleted bytes,
 * duplicated spans, inserted headers with verified but wrong lengths. Whatever the damage, the
 * readers throw nothing, offsets only go forward, every byte is either delivered or counted as
 * skipped, and every frame that the damage left intact is delivered where it now sits.
 *
 * <p>Bounded by time, not by count (about 10 s in total by default); each iteration has its own seed
 * derived from a fixed base. A failure names the iteration, the input and the mutations; rerun it
 * alone with {@code -Dathanor.fuzz.seed=<base> -Dathanor.fuzz.iteration=<n>}, or give the tests
 * more time with {@code -Dathanor.fuzz.millis=<total>}.
 */
class EventFileFuzzTest {

    private static final long BASE_SEED = Long.getLong("athanor.fuzz.seed", 0x7FE7_E575L);
    private static final long ONLY_ITERATION = Long.getLong("athanor.fuzz.iteration", -1);
    private static final long TOTAL_MILLIS = Long.getLong("athanor.fuzz.millis", 9_000);

    private record Input(String name, byte[] bytes, List<MutatedBytes.Frame> frames, Set<Integer> eventOffsets) {
    }

    private static List<Input> corpus;

    @BeforeAll
    static void buildCorpus() throws IOException {
        corpus = new ArrayList<>();
        corpus.add(input("generated/scalars", scalarsFile(400)));
        corpus.add(input("generated/mixed", mixedFile()));
        corpus.add(input("generated/big-record", bigRecordFile()));
        // The shared real files join the corpus when present; the generated ones run either way.
        if (Fixtures.find().isPresent() || OptionalPart.FIXTURES.isRequired()) {
            for (Path file : Fixtures.eventFiles()) {
                corpus.add(input(Fixtures.relativeName(file), Files.readAllBytes(file)));
            }
        }
    }

    @Test
    void damagedFilesNeverThrowAndLoseNoUntouchedRecord() {
        fuzz("frames", TOTAL_MILLIS * 7 / 10, this::framesIteration);
    }

    @Test
    void damagedPayloadsInValidFramesAreReportedOneByOne() {
        fuzz("payloads", TOTAL_MILLIS * 3 / 10, this::payloadsIteration);
    }

    // ---------------------------------------------------------------------------------------

    private interface Iteration {
        String run(Random random) throws IOException;
    }

    private static void fuzz(String name, long budgetMillis, Iteration iteration) {
        long deadline = System.nanoTime() + budgetMillis * 1_000_000;
        long count = 0;
        for (long i = ONLY_ITERATION >= 0 ? ONLY_ITERATION : 0; ; i++) {
            long seed = BASE_SEED + i * 0x9E3779B97F4A7C15L;
            String[] described = {"(not yet chosen)"};
            try {
                described[0] = iteration.run(new Random(seed));
            } catch (Throwable t) {
                throw new AssertionError("fuzz '%s' iteration %d failed (base seed %d, iteration seed %d): %s%n"
                        .formatted(name, i, BASE_SEED, seed, t.getMessage())
                        + "rerun alone with -Dathanor.fuzz.seed=" + BASE_SEED + " -Dathanor.fuzz.iteration=" + i, t);
            }
            count++;
            if (ONLY_ITERATION >= 0 || System.nanoTime() > deadline) {
                break;
            }
        }
        System.out.printf("fuzz '%s': %d iterations, base seed %d%n", name, count, BASE_SEED);
        assertThat(count).isPositive();
    }

    /** One damaged file read four ways; returns a description for failure messages. */
    private String framesIteration(Random random) throws IOException {
        Input input = corpus.get(random.nextInt(corpus.size()));
        MutatedBytes mutated = new MutatedBytes(input.bytes());
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            mutate(mutated, input, random);
        }
        String description = input.name() + " " + mutated.log();
        byte[] bytes = mutated.bytes();
        List<MutatedBytes.Placed> untouched = mutated.untouchedFrames(input.frames());

        // 1. Records, file known complete: all bytes accounted for, untouched frames delivered.
        TfRecordReader complete = reader(bytes);
        complete.markComplete();
        RecordDrain.Outcome whole = RecordDrain.drain(complete);
        assertStrictlyIncreasing(whole.offsets(), description);
        long delivered = whole.records().stream().mapToLong(r -> r.endOffset() - r.offset()).sum();
        long skipped = whole.skips().stream().mapToLong(RecordDrain.Skip::skipped).sum();
        assertThat(delivered + skipped).as("%s: every byte delivered or skipped", description).isEqualTo(bytes.length);
        assertThat(whole.end().offset()).as(description).isEqualTo(bytes.length);
        Map<Long, byte[]> byOffset = new HashMap<>();
        for (TfRecord record : whole.records()) {
            byOffset.put(record.offset(), record.payload());
        }
        for (MutatedBytes.Placed placed : untouched) {
            assertThat(byOffset.get(placed.offset()))
                    .as("%s: untouched frame from original offset %d, now at %d", description,
                            placed.frame().offset(), placed.offset())
                    .isEqualTo(placed.frame().payload());
        }

        // 2. The same bytes arriving in random pieces (a file being written), then closed:
        //    exactly the same records.
        RecordDrain.GrowingChannel growing = new RecordDrain.GrowingChannel(bytes, 0);
        TfRecordReader tailing = new TfRecordReader(growing, "growing");
        List<TfRecord> tailed = new ArrayList<>();
        long lastOffset = -1;
        int visible = 0;
        while (true) {
            RecordDrain.Outcome part = RecordDrain.drain(tailing);
            for (long offset : part.offsets()) {
                assertThat(offset).as(description).isGreaterThan(lastOffset);
                lastOffset = offset;
            }
            tailed.addAll(part.records());
            if (tailing.isComplete()) {
                break;
            }
            if (visible == bytes.length) {
                tailing.markComplete();
            } else {
                visible = Math.min(bytes.length, visible + 1 + random.nextInt(1 + bytes.length / 8));
                growing.grow(visible);
            }
        }
        assertThat(tailed.stream().map(TfRecord::offset).toList()).as(description).isEqualTo(whole.recordOffsets());

        // 3. Events: nothing thrown, offsets forward, every untouched Event delivered.
        List<ReadProblem> problems = new ArrayList<>();
        List<Long> eventOffsets = new ArrayList<>();
        List<Long> allOffsets = new ArrayList<>();
        EventFileReader events = new EventFileReader(reader(bytes), problem -> {
            problems.add(problem);
            allOffsets.add(problem.offset());
            assertThat(problem.message()).contains("offset " + problem.offset());
        });
        events.markComplete();
        for (EventRecord event = events.next(); event != null; event = events.next()) {
            eventOffsets.add(event.offset());
            allOffsets.add(event.offset());
        }
        assertStrictlyIncreasing(allOffsets, description);
        Set<Long> eventSet = Set.copyOf(eventOffsets);
        for (MutatedBytes.Placed placed : untouched) {
            if (input.eventOffsets().contains(placed.frame().offset()) && !eventSet.contains(placed.offset())) {
                throw new AssertionError("%s: untouched event from original offset %d, now at %d, was not delivered"
                        .formatted(description, placed.frame().offset(), placed.offset()));
            }
        }
        assertThat(events.position()).as(description).isEqualTo(bytes.length);
        return description;
    }

    /** Valid frames around damaged Event payloads: each frame gives one event or one problem. */
    private String payloadsIteration(Random random) throws IOException {
        Input input = corpus.get(random.nextInt(corpus.size()));
        List<MutatedBytes.Frame> frames = input.frames();
        int count = 1 + random.nextInt(Math.min(20, frames.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecordWriter writer = new TfRecordWriter(out);
        List<Long> frameOffsets = new ArrayList<>();
        List<String> log = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MutatedBytes.Frame frame = frames.get(random.nextInt(frames.size()));
            MutatedBytes payload = new MutatedBytes(frame.payload());
            int mutations = random.nextInt(3);
            for (int m = 0; m < mutations && payload.length() > 0; m++) {
                mutatePayload(payload, random);
            }
            log.add(frame.offset() + ":" + payload.log());
            frameOffsets.add(writer.write(payload.bytes()));
        }
        String description = input.name() + " " + log;

        List<Long> seen = new ArrayList<>();
        EventFileReader reader = new EventFileReader(reader(out.toByteArray()), problem -> {
            assertThat(problem.kind()).as(description).isNotEqualTo(ReadProblem.Kind.CORRUPT_FRAME);
            assertThat(problem.message()).as(description).contains("offset " + problem.offset());
            seen.add(problem.offset());
        });
        reader.markComplete();
        for (EventRecord event = reader.next(); event != null; event = reader.next()) {
            seen.add(event.offset());
        }
        assertThat(seen).as(description).isEqualTo(frameOffsets);
        return description;
    }

    // ---------------------------------------------------------------------------------------

    private static void mutate(MutatedBytes file, Input input, Random random) {
        int length = file.length();
        if (length == 0) {
            file.insert(0, randomBytes(random, 1 + random.nextInt(32)));
            return;
        }
        // Half the time aim near a frame boundary of the original, where framing bugs live.
        int at = random.nextBoolean() || input.frames().isEmpty()
                ? random.nextInt(length)
                : Math.min(length - 1, Math.max(0,
                        input.frames().get(random.nextInt(input.frames().size())).offset() + random.nextInt(24) - 4));
        switch (random.nextInt(11)) {
            case 0, 1, 2 -> file.flipBit(at, random.nextInt(8));
            case 3 -> file.truncate(at);
            case 4, 5 -> file.insert(at, randomBytes(random, 1 + random.nextInt(random.nextBoolean() ? 8 : 200)));
            case 6, 7 -> file.delete(at, Math.min(length, at + 1 + random.nextInt(random.nextBoolean() ? 8 : 500)));
            case 8, 9 -> {
                int from = random.nextInt(length);
                int to = Math.min(length, from + 1 + random.nextInt(4096));
                file.duplicate(from, to, random.nextInt(length + 1));
            }
            default -> {
                // A header whose length CRC verifies but whose length is wrong: the hardest lie.
                long claimed = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(64);
                    case 1 -> random.nextInt(1 << 20);
                    default -> random.nextLong();
                };
                file.insert(at, FrameBytes.header(claimed));
            }
        }
    }

    private static void mutatePayload(MutatedBytes payload, Random random) {
        int length = payload.length();
        int at = random.nextInt(length);
        switch (random.nextInt(5)) {
            case 0, 1 -> payload.flipBit(at, random.nextInt(8));
            case 2 -> payload.truncate(at);
            case 3 -> payload.insert(at, randomBytes(random, 1 + random.nextInt(6)));
            default -> payload.delete(at, Math.min(length, at + 1 + random.nextInt(6)));
        }
    }

    private static void assertStrictlyIncreasing(List<Long> offsets, String description) {
        for (int i = 1; i < offsets.size(); i++) {
            if (offsets.get(i) <= offsets.get(i - 1)) {
                throw new AssertionError("%s: offset %d at index %d does not follow %d".formatted(
                        description, offsets.get(i), i, offsets.get(i - 1)));
            }
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static TfRecordReader reader(byte[] bytes) {
        return new TfRecordReader(Channels.newChannel(new ByteArrayInputStream(bytes)), "fuzz.tfevents");
    }

    // ---------------------------------------------------------------------------------------

    private static Input input(String name, byte[] bytes) throws IOException {
        List<MutatedBytes.Frame> frames = new ArrayList<>();
        TfRecordReader reader = reader(bytes);
        reader.markComplete();
        RecordDrain.Outcome outcome = RecordDrain.drain(reader);
        assertThat(outcome.skips()).as("corpus file %s must be undamaged", name).isEmpty();
        Set<Integer> eventOffsets = new HashSet<>();
        for (TfRecord record : outcome.records()) {
            frames.add(new MutatedBytes.Frame((int) record.offset(), (int) (record.endOffset() - record.offset()),
                    record.payload()));
        }
        List<ReadProblem> problems = new ArrayList<>();
        EventFileReader events = new EventFileReader(reader(bytes), problems::add);
        for (EventRecord event = events.next(); event != null; event = events.next()) {
            eventOffsets.add((int) event.offset());
        }
        return new Input(name, bytes, frames, eventOffsets);
    }

    private static byte[] scalarsFile(int steps) throws IOException {
        return write(writer -> {
            for (int step = 0; step < steps; step++) {
                for (String tag : List.of("loss", "accuracy", "learning_rate")) {
                    Summary.Value.Builder value = Summary.Value.newBuilder().setTag(tag)
                            .setTensor(scalarTensor(step * 0.001f));
                    if (step == 0) {
                        value.setMetadata(SummaryMetadata.newBuilder()
                                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars")));
                    }
                    writer.accept(Event.newBuilder().setWallTime(1.7e9 + step).setStep(step)
                            .setSummary(Summary.newBuilder().addValue(value)).build().toByteArray());
                }
            }
        });
    }

    private static byte[] mixedFile() throws IOException {
        Random random = new Random(1);
        return write(writer -> {
            for (int step = 0; step < 40; step++) {
                writer.accept(Event.newBuilder().setWallTime(1.7e9 + step).setStep(step)
                        .setSummary(Summary.newBuilder()
                                .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(1f / (step + 1)))
                                .addValue(Summary.Value.newBuilder().setTag("weights").setHisto(
                                        HistogramProto.newBuilder().setMin(-1).setMax(1).setNum(100)
                                                .addBucketLimit(0).addBucketLimit(1).addBucket(40).addBucket(60))))
                        .build().toByteArray());
                if (step % 10 == 0) {
                    writer.accept(Event.newBuilder().setWallTime(1.7e9 + step).setStep(step)
                            .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("sample")
                                    .setImage(Summary.Image.newBuilder().setHeight(64).setWidth(64).setColorspace(3)
                                            .setEncodedImageString(ByteString.copyFrom(randomBytes(random, 6000))))))
                            .build().toByteArray());
                    writer.accept(Event.newBuilder().setWallTime(1.7e9 + step).setStep(step)
                            .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("notes")
                                    .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                                            .setTensorShape(TensorShapeProto.getDefaultInstance())
                                            .addStringVal(ByteString.copyFromUtf8("step " + step + " went fine")))))
                            .build().toByteArray());
                }
            }
            writer.accept(new byte[0]); // a zero-length record: a valid frame, but no Event
        });
    }

    private static byte[] bigRecordFile() throws IOException {
        Random random = new Random(2);
        return write(writer -> {
            for (int step = 0; step < 30; step++) {
                writer.accept(Event.newBuilder().setWallTime(1.7e9 + step).setStep(step).setSummary(
                        Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("x").setSimpleValue(step)))
                        .build().toByteArray());
                if (step == 15) {
                    writer.accept(Event.newBuilder().setStep(step).setSummary(Summary.newBuilder().addValue(
                                    Summary.Value.newBuilder().setTag("big").setImage(Summary.Image.newBuilder()
                                            .setEncodedImageString(ByteString.copyFrom(randomBytes(random, 300_000))))))
                            .build().toByteArray());
                }
            }
        });
    }

    private static TensorProto scalarTensor(float value) {
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.getDefaultInstance())
                .setTensorContent(ByteString.copyFrom(
                        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value).array()))
                .build();
    }

    private interface PayloadSink {
        void accept(byte[] payload) throws IOException;
    }

    private interface Body {
        void write(PayloadSink sink) throws IOException;
    }

    /** Event-file bytes as EventFileWriter frames them: a version record, then the payloads. */
    private static byte[] write(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventFileWriter writer = EventFileWriter.wrap(Path.of("fuzz-corpus"), out)) {
            writer.write(Event.newBuilder().setWallTime(1.7e9).setFileVersion(EventFileWriter.FILE_VERSION).build());
            body.write(writer::writeSerialized);
        }
        return out.toByteArray();
    }
}
