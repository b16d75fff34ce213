package dev.athanor.tfevents.record;

import static dev.athanor.tfevents.record.FrameBytes.concat;
import static dev.athanor.tfevents.record.FrameBytes.flip;
import static dev.athanor.tfevents.record.FrameBytes.frame;
import static dev.athanor.tfevents.record.FrameBytes.header;
import static dev.athanor.tfevents.record.FrameBytes.payload;
import static dev.athanor.tfevents.record.RecordDrain.drain;
import static dev.athanor.tfevents.record.RecordDrain.inMemory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TfRecordReaderTest {

    private static final byte[] A = payload(40, 1);
    private static final byte[] B = payload(100, 2);
    private static final byte[] C = payload(7, 3);

    @TempDir
    Path dir;

    @Test
    void emptySourceEndsCleanlyAtOffsetZero() throws IOException {
        TfRecordReader reader = inMemory(new byte[0]);
        assertThat(reader.next()).isEqualTo(new EndOfData(0, 0));
        reader.markComplete();
        assertThat(reader.next()).isEqualTo(new EndOfData(0, 0));
        assertThat(reader.position()).isZero();
    }

    @Test
    void emptyFileOnDiskEndsCleanly() throws IOException {
        Path file = Files.createFile(dir.resolve("events.out.tfevents.empty"));
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            EndOfData end = (EndOfData) reader.next();
            assertThat(end.truncated()).isFalse();
            assertThat(end.offset()).isZero();
        }
    }

    @Test
    void zeroLengthRecordIsAValidFrameBetweenOthers() throws IOException {
        byte[] bytes = concat(frame(A), frame(new byte[0]), frame(C));
        RecordDrain.Outcome out = drain(inMemory(bytes));
        assertThat(out.skips()).isEmpty();
        assertThat(out.records()).hasSize(3);
        assertThat(out.records().get(1).payload()).isEmpty();
        assertThat(out.recordOffsets()).containsExactly(0L, 56L, 72L);
        assertThat(out.records().get(2).payload()).isEqualTo(C);
        assertThat(out.end()).isEqualTo(new EndOfData(bytes.length, 0));
    }

    @Test
    void lengthCrcMismatchIsLocatedAndRecordsAroundItSurvive() throws IOException {
        byte[] good = concat(frame(A), frame(B), frame(C));
        int bOffset = 16 + A.length;
        byte[] bytes = flip(good, bOffset + 9, 3); // inside B's length CRC
        RecordDrain.Outcome out = drain(inMemory(bytes));

        assertThat(out.records()).extracting(TfRecord::payload).containsExactly(A, C);
        assertThat(out.skips()).hasSize(1);
        CorruptRecord corrupt = out.skips().get(0).corruption();
        assertThat(corrupt.kind()).isEqualTo(RecordCorruption.LENGTH_CRC_MISMATCH);
        assertThat(corrupt.offset()).isEqualTo(bOffset);
        assertThat(corrupt.message()).contains("mem.tfrecord", "offset " + bOffset, "length CRC mismatch");
        assertThat(out.skips().get(0).skipped()).isEqualTo(16 + B.length);
        assertThat(out.records().get(1).offset()).isEqualTo(bOffset + 16 + B.length);
    }

    @Test
    void lengthFieldBitFlipIsCaughtByTheLengthCrc() throws IOException {
        byte[] good = concat(frame(A), frame(B), frame(C));
        byte[] bytes = flip(good, 16 + A.length + 2, 0); // length 100 -> 65636
        RecordDrain.Outcome out = drain(inMemory(bytes));
        assertThat(out.records()).extracting(TfRecord::payload).containsExactly(A, C);
        assertThat(out.skips()).singleElement()
                .satisfies(s -> assertThat(s.corruption().kind()).isEqualTo(RecordCorruption.LENGTH_CRC_MISMATCH));
    }

    @Test
    void payloadCrcMismatchIsLocatedAndRecordsAroundItSurvive() throws IOException {
        byte[] good = concat(frame(A), frame(B), frame(C));
        int bOffset = 16 + A.length;
        byte[] bytes = flip(good, bOffset + 12 + 50, 7); // inside B's payload
        RecordDrain.Outcome out = drain(inMemory(bytes));

        assertThat(out.records()).extracting(TfRecord::payload).containsExactly(A, C);
        CorruptRecord corrupt = out.skips().get(0).corruption();
        assertThat(corrupt.kind()).isEqualTo(RecordCorruption.PAYLOAD_CRC_MISMATCH);
        assertThat(corrupt.offset()).isEqualTo(bOffset);
        assertThat(corrupt.message()).contains("mem.tfrecord", "offset " + bOffset, "payload CRC mismatch over 100 bytes");
        assertThat(out.skips().get(0).skipped()).isEqualTo(16 + B.length);
    }

    @Test
    void payloadFooterCorruptionIsAPayloadCrcMismatch() throws IOException {
        byte[] good = concat(frame(A), frame(C));
        byte[] bytes = flip(good, 16 + A.length - 1, 1); // last byte of A's payload CRC
        RecordDrain.Outcome out = drain(inMemory(bytes));
        assertThat(out.records()).extracting(TfRecord::payload).containsExactly(C);
        assertThat(out.skips().get(0).corruption().kind()).isEqualTo(RecordCorruption.PAYLOAD_CRC_MISMATCH);
        assertThat(out.skips().get(0).corruption().offset()).isZero();
    }

    @Test
    void corruptFrameIsAnsweredAgainUntilResync() throws IOException {
        TfRecordReader reader = inMemory(flip(concat(frame(A), frame(C)), 20, 0));
        ReadResult first = reader.next();
        assertThat(first).isInstanceOf(CorruptRecord.class);
        assertThat(reader.next()).isSameAs(first);
        assertThat(reader.position()).isZero();
        assertThat(reader.resync()).isEqualTo(16 + A.length);
        assertThat(((TfRecord) reader.next()).payload()).isEqualTo(C);
        assertThatThrownBy(reader::resync).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void truncatedHeaderWaitsWhileTheSourceMayGrowAndIsCorruptOnceComplete() throws IOException {
        byte[] bytes = concat(frame(A), Arrays.copyOf(frame(B), 7));
        TfRecordReader reader = inMemory(bytes);
        assertThat(((TfRecord) reader.next()).payload()).isEqualTo(A);
        EndOfData end = (EndOfData) reader.next();
        assertThat(end).isEqualTo(new EndOfData(56, 7));
        assertThat(end.truncated()).isTrue();
        assertThat(reader.position()).isEqualTo(56);

        reader.markComplete();
        CorruptRecord corrupt = (CorruptRecord) reader.next();
        assertThat(corrupt.kind()).isEqualTo(RecordCorruption.TRUNCATED_FRAME);
        assertThat(corrupt.message()).contains("mem.tfrecord", "offset 56", "ends 7 bytes into the 12-byte frame header");
        assertThat(reader.resync()).isEqualTo(7);
        assertThat(reader.next()).isEqualTo(new EndOfData(bytes.length, 0));
    }

    @Test
    void truncatedPayloadWaitsWhileTheSourceMayGrowAndIsCorruptOnceComplete() throws IOException {
        byte[] fullB = frame(B);
        byte[] bytes = concat(frame(A), Arrays.copyOf(fullB, fullB.length - 5));
        TfRecordReader reader = inMemory(bytes);
        reader.next();
        assertThat(reader.next()).isEqualTo(new EndOfData(56, fullB.length - 5));

        reader.markComplete();
        CorruptRecord corrupt = (CorruptRecord) reader.next();
        assertThat(corrupt.kind()).isEqualTo(RecordCorruption.TRUNCATED_FRAME);
        assertThat(corrupt.message()).contains("offset 56", "ends 111 bytes into a frame of 116 bytes");
        assertThat(reader.resync()).isEqualTo(fullB.length - 5);
        assertThat(reader.next()).isEqualTo(new EndOfData(bytes.length, 0));
    }

    @Test
    void lengthOfTwoToTheSixtyThirdIsRejectedWithoutAllocating() throws IOException {
        byte[] hugeHeader = header(Long.MIN_VALUE); // 2^63 as an unsigned 64-bit length, valid CRC
        byte[] bytes = concat(frame(A), hugeHeader, payload(30, 9), frame(C));
        RecordDrain.Outcome out = drain(inMemory(bytes));

        assertThat(out.records()).extracting(TfRecord::payload).containsExactly(A, C);
        CorruptRecord corrupt = out.skips().get(0).corruption();
        assertThat(corrupt.kind()).isEqualTo(RecordCorruption.LENGTH_TOO_LARGE);
        assertThat(corrupt.offset()).isEqualTo(56);
        assertThat(corrupt.message()).contains("mem.tfrecord", "offset 56", "9223372036854775808");
        assertThat(out.skips().get(0).skipped()).isEqualTo(12 + 30);
    }

    @Test
    void aVerifiedButHugeLengthDoesNotAllocateMoreThanTheDataPresent() throws IOException {
        // 400 MB claimed, 600 KB present: a tail "still being written" must not reserve 400 MB.
        byte[] bytes = concat(header(400L * 1024 * 1024), payload(600_000, 4));
        TfRecordReader reader = inMemory(bytes);
        assertThat(reader.next()).isEqualTo(new EndOfData(0, bytes.length));
        assertThat(reader.bufferCapacity()).isGreaterThanOrEqualTo(bytes.length)
                .isLessThanOrEqualTo(2 * bytes.length);
    }

    @Test
    void randomGarbageYieldsNoRecordsAndIsSkippedWhole() throws IOException {
        byte[] garbage = new byte[10_000];
        new Random(42).nextBytes(garbage);

        RecordDrain.Outcome waiting = drain(inMemory(garbage));
        assertThat(waiting.records()).isEmpty();
        assertThat(waiting.skips()).hasSize(1);
        assertThat(waiting.skips().get(0).corruption().offset()).isZero();
        // While the source may grow, the last bytes might start a header: they are kept.
        assertThat(waiting.end().offset() + waiting.end().partialBytes()).isEqualTo(garbage.length);
        assertThat(waiting.end().partialBytes()).isBetween(1L, 11L);

        TfRecordReader complete = inMemory(garbage);
        complete.markComplete();
        RecordDrain.Outcome done = drain(complete);
        assertThat(done.records()).isEmpty();
        assertThat(done.skips()).hasSize(1);
        assertThat(done.skips().get(0).skipped()).isEqualTo(garbage.length);
        assertThat(done.end()).isEqualTo(new EndOfData(garbage.length, 0));
    }

    @Test
    void garbageBetweenRecordsIsSkippedAndCounted() throws IOException {
        byte[] garbage = new byte[777];
        new Random(7).nextBytes(garbage);
        byte[] bytes = concat(frame(A), garbage, frame(B), frame(C));
        RecordDrain.Outcome out = drain(inMemory(bytes));
        assertThat(out.records()).extracting(TfRecord::payload).containsExactly(A, B, C);
        assertThat(out.skips()).singleElement().satisfies(s -> {
            assertThat(s.corruption().offset()).isEqualTo(56);
            assertThat(s.skipped()).isEqualTo(garbage.length);
        });
    }

    @Test
    void frameWhoseLengthRunsPastTheEndHidesNothingOnceComplete() throws IOException {
        // B's payload lost 60 bytes, so its header claims more than is left: C sits inside the claim.
        byte[] fullB = frame(B);
        byte[] damagedB = concat(Arrays.copyOf(fullB, 12 + 20), Arrays.copyOfRange(fullB, 12 + 80, fullB.length));
        byte[] bytes = concat(frame(A), damagedB, frame(C));

        RecordDrain.Outcome waiting = drain(inMemory(bytes));
        assertThat(waiting.records()).extracting(TfRecord::payload).containsExactly(A);
        assertThat(waiting.end().offset()).isEqualTo(56);

        TfRecordReader reader = inMemory(bytes);
        reader.markComplete();
        RecordDrain.Outcome done = drain(reader);
        assertThat(done.records()).extracting(TfRecord::payload).containsExactly(A, C);
        assertThat(done.skips()).singleElement().satisfies(s -> {
            assertThat(s.corruption().kind()).isEqualTo(RecordCorruption.TRUNCATED_FRAME);
            assertThat(s.skipped()).isEqualTo(damagedB.length);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 12, 13, 4096})
    void partialReadsOfAnySizeGiveTheSameRecords(int chunk) throws IOException {
        byte[] garbage = new byte[50];
        new Random(3).nextBytes(garbage);
        byte[] bytes = concat(frame(A), garbage, frame(B), frame(new byte[0]), frame(payload(300_000, 5)), frame(C));
        RecordDrain.Outcome whole = drain(inMemory(bytes));
        RecordDrain.Outcome trickled = drain(new TfRecordReader(RecordDrain.trickle(bytes, chunk), "trickle"));
        assertThat(trickled.recordOffsets()).isEqualTo(whole.recordOffsets()).hasSize(5);
        for (int i = 0; i < whole.records().size(); i++) {
            assertThat(trickled.records().get(i).payload()).isEqualTo(whole.records().get(i).payload());
        }
        assertThat(trickled.skips()).extracting(RecordDrain.Skip::skipped).containsExactly(50L);
    }

    @Test
    void tailingContinuesOnTheSameReaderAndOnANewReaderAtPosition() throws IOException {
        Path file = dir.resolve("events.out.tfevents.tail");
        byte[] fullB = frame(B);
        Files.write(file, concat(frame(A), Arrays.copyOf(fullB, 30)));

        try (TfRecordReader reader = TfRecordReader.open(file)) {
            assertThat(((TfRecord) reader.next()).payload()).isEqualTo(A);
            assertThat(reader.next()).isEqualTo(new EndOfData(56, 30));
            long resumeAt = reader.position();
            assertThat(resumeAt).isEqualTo(56);

            Files.write(file, concat(Arrays.copyOfRange(fullB, 30, fullB.length), frame(C)), StandardOpenOption.APPEND);

            TfRecord b = (TfRecord) reader.next();
            assertThat(b.payload()).isEqualTo(B);
            assertThat(b.offset()).isEqualTo(56);
            assertThat(((TfRecord) reader.next()).payload()).isEqualTo(C);
            assertThat(reader.next()).isEqualTo(new EndOfData(56 + fullB.length + 16 + C.length, 0));

            try (TfRecordReader resumed = TfRecordReader.open(file, resumeAt)) {
                RecordDrain.Outcome out = drain(resumed);
                assertThat(out.recordOffsets()).containsExactly(56L, 56L + fullB.length);
                assertThat(out.records()).extracting(TfRecord::payload).containsExactly(B, C);
            }
        }
    }

    @Test
    void tailingAcrossASplitHeader() throws IOException {
        Path file = dir.resolve("events.out.tfevents.split");
        byte[] fullC = frame(C);
        Files.write(file, Arrays.copyOf(fullC, 5));
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            assertThat(reader.next()).isEqualTo(new EndOfData(0, 5));
            Files.write(file, Arrays.copyOfRange(fullC, 5, 14), StandardOpenOption.APPEND);
            assertThat(reader.next()).isEqualTo(new EndOfData(0, 14));
            Files.write(file, Arrays.copyOfRange(fullC, 14, fullC.length), StandardOpenOption.APPEND);
            assertThat(((TfRecord) reader.next()).payload()).isEqualTo(C);
        }
    }

    @Test
    void recordsLargerThanTheBufferGrowItAndItSettlesBackAfterwards() throws IOException {
        byte[] big = payload(3 * 1024 * 1024 + 17, 11);
        byte[][] small = new byte[2000][];
        byte[][] parts = new byte[small.length + 2][];
        parts[0] = frame(A);
        parts[1] = frame(big);
        for (int i = 0; i < small.length; i++) {
            small[i] = payload(200, 100 + i);
            parts[i + 2] = frame(small[i]);
        }
        Path file = dir.resolve("events.out.tfevents.big");
        Files.write(file, concat(parts));

        try (TfRecordReader reader = TfRecordReader.open(file)) {
            assertThat(((TfRecord) reader.next()).payload()).isEqualTo(A);
            TfRecord bigRecord = (TfRecord) reader.next();
            assertThat(bigRecord.payload()).isEqualTo(big);
            assertThat(reader.bufferCapacity()).isGreaterThan(big.length);
            for (byte[] expected : small) {
                assertThat(((TfRecord) reader.next()).payload()).isEqualTo(expected);
            }
            assertThat(reader.next()).isEqualTo(new EndOfData(Files.size(file), 0));
            assertThat(reader.bufferCapacity()).isEqualTo(TfRecordReader.PREFERRED_BUFFER);
        }
    }

    @Test
    void bigRecordThatIsTruncatedReportsItsPartialBytes() throws IOException {
        byte[] big = frame(payload(2 * 1024 * 1024, 12));
        byte[] bytes = Arrays.copyOf(big, 1_500_000);
        TfRecordReader reader = inMemory(bytes);
        assertThat(reader.next()).isEqualTo(new EndOfData(0, 1_500_000));
        reader.markComplete();
        assertThat(reader.next()).isInstanceOf(CorruptRecord.class);
        assertThat(reader.resync()).isEqualTo(1_500_000);
    }

    @Test
    void openingAtAnOffsetReportsSourceOffsets() throws IOException {
        Path file = dir.resolve("events.out.tfevents.offset");
        byte[] bytes = concat(frame(A), frame(B), flip(frame(C), 13, 0));
        Files.write(file, bytes);
        try (TfRecordReader reader = TfRecordReader.open(file, 56)) {
            RecordDrain.Outcome out = drain(reader);
            assertThat(out.recordOffsets()).containsExactly(56L);
            CorruptRecord corrupt = out.skips().get(0).corruption();
            assertThat(corrupt.offset()).isEqualTo(56 + 116);
            assertThat(corrupt.message()).startsWith(file + ": corrupt record at offset 172:");
        }
    }

    @Test
    void rejectsNonsenseArguments() {
        assertThatThrownBy(() -> new TfRecordReader(RecordDrain.trickle(new byte[0], 1), "x", -1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TfRecordReader(RecordDrain.trickle(new byte[0], 1), "x", 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(RecordCorruption.values())).contains(RecordCorruption.TRUNCATED_FRAME);
    }
}
