package dev.athanor.uploader.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordWriter;
import dev.athanor.uploader.Problem;
import dev.athanor.uploader.discovery.DiscoveredFile;
import dev.athanor.uploader.discovery.LogdirScan;
import dev.athanor.uploader.flow.EffectiveLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchReaderTest {

    @TempDir
    Path dir;
    Path file;
    final List<Problem> problems = new ArrayList<>();
    final ReaderPool readers = new ReaderPool(4);
    BatchReader reader;
    FileSet files;

    static final EffectiveLimits LIMITS = new EffectiveLimits(1 << 20, 1 << 16, 250, 4, 0);

    @BeforeEach
    void setUp() {
        file = dir.resolve("events.out.tfevents.1");
        reader = new BatchReader(readers, problems::add);
        files = new FileSet(readers, problems::add);
    }

    private static byte[] payload(int size, int fill) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private void append(byte[]... frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (byte[] frame : frames) {
                out.write(frame);
            }
        }
    }

    private TailedFile scanned() throws IOException {
        files.apply(new LogdirScan(List.of(new DiscoveredFile(".", file.getFileName().toString(), file,
                Files.size(file))), List.of()));
        return files.get(TailedFile.key(".", file.getFileName().toString()));
    }

    @Test
    void batchesAreContiguousAndBoundedByTheBatchLimit() throws IOException {
        for (int i = 0; i < 10; i++) {
            append(TfRecordWriter.frame(payload(100, i)));
        }
        TailedFile tailed = scanned();

        List<ReadBatch> batches = new ArrayList<>();
        ReadBatch batch;
        while ((batch = reader.read(tailed, LIMITS)) != null) {
            batches.add(batch);
        }

        assertThat(batches).extracting(b -> b.records().size()).containsExactly(2, 2, 2, 2, 2);
        long expectedStart = 0;
        for (ReadBatch b : batches) {
            assertThat(b.startOffset()).isEqualTo(expectedStart);
            assertThat(b.payloadBytes()).isLessThanOrEqualTo(250);
            expectedStart = b.endOffset();
        }
        assertThat(expectedStart).isEqualTo(Files.size(file));
        assertThat(tailed.hasData()).isFalse();
    }

    @Test
    void aTruncatedTailWaitsAndIsReadOnceComplete() throws IOException {
        byte[] first = TfRecordWriter.frame(payload(50, 1));
        byte[] second = TfRecordWriter.frame(payload(60, 2));
        append(first, Arrays.copyOf(second, 30));
        TailedFile tailed = scanned();

        ReadBatch batch = reader.read(tailed, LIMITS);
        assertThat(batch.records()).containsExactly(ByteString.copyFrom(payload(50, 1)));
        assertThat(reader.read(tailed, LIMITS)).isNull();
        assertThat(tailed.tailPartialBytes()).isEqualTo(30);
        assertThat(tailed.hasData()).isFalse();

        append(Arrays.copyOfRange(second, 30, second.length));
        scanned(); // the scan sees the file grow
        assertThat(tailed.hasData()).isTrue();
        ReadBatch rest = reader.read(tailed, LIMITS);
        assertThat(rest.startOffset()).isEqualTo(first.length);
        assertThat(rest.records()).containsExactly(ByteString.copyFrom(payload(60, 2)));
        assertThat(problems).isEmpty();
    }

    @Test
    void aCorruptFrameEndsTheBatchAndTheNextStartsAtTheNextGoodRecord() throws IOException {
        byte[] a = TfRecordWriter.frame(payload(40, 1));
        byte[] bad = TfRecordWriter.frame(payload(40, 2));
        bad[20] ^= 0x01;
        byte[] c = TfRecordWriter.frame(payload(40, 3));
        append(a, bad, c);
        TailedFile tailed = scanned();

        ReadBatch before = reader.read(tailed, LIMITS);
        ReadBatch after = reader.read(tailed, LIMITS);

        assertThat(before.startOffset()).isZero();
        assertThat(before.endOffset()).isEqualTo(a.length);
        assertThat(before.records()).hasSize(1);
        assertThat(after.startOffset()).isEqualTo(a.length + bad.length);
        assertThat(after.records()).containsExactly(ByteString.copyFrom(payload(40, 3)));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT_RECORD);
            assertThat(p.offset()).isEqualTo(a.length);
            assertThat(p.message()).contains(file.toString()).contains("offset " + a.length);
        });
    }

    @Test
    void reReadingACorruptRegionAfterAReconnectReportsItOnce() throws IOException {
        byte[] bad = TfRecordWriter.frame(payload(40, 2));
        bad[5] ^= 0x01;
        append(TfRecordWriter.frame(payload(40, 1)), bad, TfRecordWriter.frame(payload(40, 3)));
        TailedFile tailed = scanned();
        while (reader.read(tailed, LIMITS) != null) {
            // read to the end
        }
        files.resetTo(java.util.Map.of(tailed.key(), new CommittedFile(56L, java.util.OptionalInt.empty())));
        List<ReadBatch> again = new ArrayList<>();
        ReadBatch batch;
        while ((batch = reader.read(tailed, LIMITS)) != null) {
            again.add(batch);
        }

        assertThat(problems).hasSize(1);
        assertThat(again).singleElement().satisfies(b -> assertThat(b.startOffset()).isEqualTo(112));
    }

    @Test
    void aFullBatchKeepsTheRecordThatDidNotFitForTheNextBatch() throws IOException {
        append(TfRecordWriter.frame(payload(200, 1)), TfRecordWriter.frame(payload(200, 2)));
        TailedFile tailed = scanned();

        ReadBatch first = reader.read(tailed, LIMITS);
        assertThat(tailed.hasData()).isTrue();
        ReadBatch second = reader.read(tailed, LIMITS);

        assertThat(first.records()).containsExactly(ByteString.copyFrom(payload(200, 1)));
        assertThat(second.startOffset()).isEqualTo(first.endOffset()).isEqualTo(216);
        assertThat(second.records()).containsExactly(ByteString.copyFrom(payload(200, 2)));
    }

    @Test
    void aClosedReaderReopensAtTheRecordThatDidNotFit() throws IOException {
        ReaderPool tiny = new ReaderPool(1);
        BatchReader batches = new BatchReader(tiny, problems::add);
        FileSet set = new FileSet(tiny, problems::add);
        Path other = dir.resolve("events.out.tfevents.2");
        append(TfRecordWriter.frame(payload(200, 1)), TfRecordWriter.frame(payload(200, 2)));
        Files.write(other, TfRecordWriter.frame(payload(10, 9)));
        set.apply(new LogdirScan(List.of(
                new DiscoveredFile(".", file.getFileName().toString(), file, Files.size(file)),
                new DiscoveredFile(".", other.getFileName().toString(), other, Files.size(other))), List.of()));
        TailedFile a = set.get(TailedFile.key(".", file.getFileName().toString()));
        TailedFile b = set.get(TailedFile.key(".", other.getFileName().toString()));

        ReadBatch first = batches.read(a, LIMITS);
        batches.read(b, LIMITS); // evicts a's reader and its stashed record
        ReadBatch second = batches.read(a, LIMITS);

        assertThat(tiny.openCount()).isEqualTo(1);
        assertThat(first.endOffset()).isEqualTo(216);
        assertThat(second.startOffset()).isEqualTo(216);
        assertThat(second.records()).containsExactly(ByteString.copyFrom(payload(200, 2)));
    }

    @Test
    void aRecordLargerThanTheBatchTargetGoesAloneByteForByte() throws IOException {
        byte[] p = new byte[256];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) i;
        }
        append(TfRecordWriter.frame(p), TfRecordWriter.frame(payload(10, 1)));
        TailedFile tailed = scanned();

        ReadBatch batch = reader.read(tailed, LIMITS);

        assertThat(LIMITS.maxBatchBytes()).isLessThan(p.length);
        assertThat(batch.records()).singleElement().satisfies(r -> assertThat(r.toByteArray()).isEqualTo(p));
        assertThat(batch.endOffset()).isEqualTo(new TfRecord(0, p).endOffset());
        assertThat(reader.read(tailed, LIMITS).startOffset()).isEqualTo(batch.endOffset());
    }
}
