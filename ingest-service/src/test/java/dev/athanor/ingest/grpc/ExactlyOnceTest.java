package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.index.IndexScheduler;
import dev.athanor.ingest.testing.Golden;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresControl;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.FileOffset;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Retries, replays and broken streams: every record is stored and indexed exactly once. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class ExactlyOnceTest {

    private static final String WANDB = "wandb/tests/fixtures/events.out.tfevents.111.complex.localdomain";

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Test
    void replayingAFileIsAcknowledgedAsDuplicateAndNotIndexedAgain() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("replay");
        long runId = client.run(exp, "r");
        Path file = Fixtures.file(WANDB);
        UploadClient first = client.upload(exp, "r", List.of(file), 50);
        UploadClient second = client.upload(exp, "r", List.of(file), 50);

        long records = SourceFiles.records(file).size();
        assertThat(first.acks.stream().mapToLong(BatchAck::getRecordsAccepted).sum()).isEqualTo(records);
        assertThat(second.acks.stream().mapToLong(BatchAck::getRecordsAccepted).sum()).isZero();
        assertThat(second.acks.stream().mapToLong(BatchAck::getRecordsDuplicate).sum()).isEqualTo(records);
        assertThat(second.acks.getLast().getCommittedOffset()).isEqualTo(Files.size(file));

        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertIndexedLikeGolden(runId, List.of(file));
        assertRawLogHolds(runId, "replay", "r", List.of(file));
    }

    @Test
    void aStreamKilledMidUploadResumesFromTheCommittedOffsetWithoutLossOrDuplicates() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("resume");
        long runId = client.run(exp, "train");
        Path file = Fixtures.file(WANDB);
        List<TfRecord> records = SourceFiles.records(file);
        List<RecordBatch> batches = SourceFiles.batches(exp, "train", file.getFileName().toString(), records, 0, 40, 1);

        // Send half the batches, let a few be acknowledged, then kill the stream.
        UploadClient broken = new UploadClient(client.async);
        broken.sendAll(batches.subList(0, batches.size() / 2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (broken.acks.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        broken.cancel();

        FileOffset committed = client.blocking.getCommittedOffsets(GetCommittedOffsetsRequest.newBuilder()
                .setExperimentId(exp).setRunPath("train").build()).getOffsets(0);
        assertThat(committed.getCommittedOffset()).isGreaterThan(0).isLessThan(Files.size(file));
        int resumeAt = 0;
        while (records.get(resumeAt).offset() < committed.getCommittedOffset()) {
            resumeAt++;
        }
        assertThat(records.get(resumeAt).offset()).isEqualTo(committed.getCommittedOffset());

        // Resume a few records early with differently cut batches: a partial overlap.
        int from = Math.max(0, resumeAt - 5);
        UploadClient resumed = new UploadClient(client.async);
        resumed.sendAll(SourceFiles.batches(exp, "train", file.getFileName().toString(), records, from, 33, 1000));
        assertThat(resumed.finish().isOk()).isTrue();
        // Batches the killed stream had already handed over may still have become durable after
        // the offsets were read: they come back as duplicates, never twice.
        assertThat(resumed.acks.getFirst().getRecordsDuplicate()).isGreaterThanOrEqualTo(resumeAt - from);
        long accepted = resumed.acks.stream().mapToLong(BatchAck::getRecordsAccepted).sum();
        long duplicates = resumed.acks.stream().mapToLong(BatchAck::getRecordsDuplicate).sum();
        assertThat(accepted).isPositive().isLessThanOrEqualTo(records.size() - resumeAt);
        assertThat(accepted + duplicates).isEqualTo(records.size() - from);
        assertThat(resumed.acks.getLast().getCommittedOffset()).isEqualTo(Files.size(file));

        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertIndexedLikeGolden(runId, List.of(file));
        assertRawLogHolds(runId, "resume", "train", List.of(file));
    }

    @Test
    void concurrentDuplicateStreamsStoreEachRecordOnce() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("concurrent");
        long runId = client.run(exp, "a/b");
        Path file = Fixtures.file(WANDB);
        List<TfRecord> records = SourceFiles.records(file);
        List<RecordBatch> batches = SourceFiles.batches(exp, "a/b", file.getFileName().toString(), records, 0, 25, 1);
        UploadClient one = new UploadClient(client.async).sendAll(batches);
        UploadClient two = new UploadClient(client.async).sendAll(batches);
        Status s1 = one.finish();
        Status s2 = two.finish();
        assertThat(s1.isOk()).as(s1.toString()).isTrue();
        assertThat(s2.isOk()).as(s2.toString()).isTrue();
        long accepted = Stream.of(one, two).flatMap(c -> c.acks.stream()).mapToLong(BatchAck::getRecordsAccepted).sum();
        assertThat(accepted).isEqualTo(records.size());
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertIndexedLikeGolden(runId, List.of(file));
        assertRawLogHolds(runId, "concurrent", "a/b", List.of(file));
    }

    @Test
    void rawSegmentsAreEventFilesWhoseRecordsAreTheUploadedPayloads() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("raw");
        Path dir = Fixtures.file("generated/tf_summary/restart/events.out.tfevents.1795729064.vm.29665.5.v2").getParent();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        long runId = client.run(exp, "restart");
        client.upload(exp, "restart", files, 3);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertRawLogHolds(runId, "raw", "restart", files);
    }

    private void assertIndexedLikeGolden(long runId, List<Path> files) throws Exception {
        var expected = Golden.scalars(files);
        var actual = new IndexQueries(dataSource).scalars(runId);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as(e.getKey()).usingElementComparator(IndexQueries.Point::compareTo)
                    .containsExactlyElementsOf(e.getValue());
        }
    }

    /** The run's segments, read with the stock event-file reader, hold the files' records in upload order. */
    static void assertRawLogHolds(long runId, String experiment, String runPath, List<Path> files) throws Exception {
        Path runDir = PostgresControl.hotRoot().resolve("default").resolve(experiment).resolve(runPath);
        List<Path> segments;
        try (Stream<Path> list = Files.list(runDir)) {
            segments = list.filter(p -> p.getFileName().toString().contains("tfevents")).sorted().toList();
        }
        assertThat(segments).isNotEmpty();
        List<byte[]> stored = new ArrayList<>();
        for (Path segment : segments) {
            try (EventFileReader reader = EventFileReader.open(segment, problem -> {
                throw new AssertionError(problem.message());
            })) {
                EventRecord r;
                while ((r = reader.next()) != null) {
                    stored.add(r.payload());
                }
                assertThat(reader.truncatedTailBytes()).isZero();
            }
        }
        List<byte[]> uploaded = new ArrayList<>();
        for (Path file : files) {
            SourceFiles.records(file).forEach(r -> uploaded.add(r.payload()));
        }
        assertThat(stored).hasSameSizeAs(uploaded);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(ByteString.copyFrom(stored.get(i))).as("record %d", i)
                    .isEqualTo(ByteString.copyFrom(uploaded.get(i)));
        }
    }
}
