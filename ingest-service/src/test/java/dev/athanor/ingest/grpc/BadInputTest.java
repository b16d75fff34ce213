package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.index.IndexScheduler;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import dev.athanor.proto.ingest.v1.ServerInfoResponse;
import dev.athanor.tfevents.record.FileHead;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear status naming the field; good data around it is kept; the service keeps serving. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class BadInputTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../b", "/abs/path", "C:/x", "a\\b", "a//b", "a/", "tab\there", "nul\u0000",
            "", ".athanor.journal"})
    void badRunPathsAreInvalidArgumentsNamingTheField(String path) {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("bad-paths");
        assertThatThrownBy(() -> client.blocking.createRun(CreateRunRequest.newBuilder().setExperimentId(exp)
                .setPath(path).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("path: ");
                });
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, path, "events.out.tfevents.1", 0, List.of(Events.scalar("x", 1, 1))));
        Status status = join(upload);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("batch.run_path");
        stillServes(client);
    }

    @Test
    void badFileNamesAndOffsetsAreRejected() {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("bad-files");
        for (String name : List.of("", "sub/events", "..", "x\u0007")) {
            UploadClient upload = new UploadClient(client.async);
            upload.send(Events.batch(1, exp, "r", name, 0, List.of(Events.scalar("x", 1, 1))));
            Status status = join(upload);
            assertThat(status.getCode()).as(name).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("batch.file_name");
        }
        UploadClient negative = new UploadClient(client.async);
        negative.send(Events.batch(1, exp, "r", "f", -5, List.of(Events.scalar("x", 1, 1))));
        assertThat(join(negative).getDescription()).contains("batch.start_offset");
        // An empty batch beyond the committed offset once left an ack waiting forever.
        UploadClient empty = new UploadClient(client.async);
        empty.send(Events.batch(1, exp, "r", "f", 100, List.of()));
        Status emptyStatus = join(empty);
        assertThat(emptyStatus.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(emptyStatus.getDescription()).contains("batch.records");
        stillServes(client);
    }

    @Test
    void unknownExperimentsAreNotFound() {
        IngestClient client = new IngestClient(channel);
        for (String id : List.of("999999", "not-a-number")) {
            UploadClient upload = new UploadClient(client.async);
            upload.send(Events.batch(7, id, "r", "f", 0, List.of(Events.scalar("x", 1, 1))));
            Status status = join(upload);
            assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).contains("batch 7").contains("experiment");
            assertThatThrownBy(() -> client.blocking.getCommittedOffsets(
                    GetCommittedOffsetsRequest.newBuilder().setExperimentId(id).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
        stillServes(client);
    }

    @Test
    void oversizedRecordsAreRejectedWithTheirOffsetAndLimit() {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("oversized");
        ServerInfoResponse info = client.blocking.getServerInfo(ServerInfoRequest.getDefaultInstance());
        int limit = (int) info.getLimits().getMaxRecordBytes();
        ByteString big = ByteString.copyFrom(new byte[limit + 1]);
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(3, exp, "r", "f", 0, List.of(Events.scalar("x", 1, 1), big)));
        Status status = join(upload);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("batch.records[1]").contains("max_record_bytes")
                .contains("offset " + Events.end(0, List.of(Events.scalar("x", 1, 1))));
        stillServes(client);
    }

    @Test
    void oversizedMessagesAreResourceExhausted() {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("oversized-message");
        ServerInfoResponse info = client.blocking.getServerInfo(ServerInfoRequest.getDefaultInstance());
        int maxMessage = (int) info.getLimits().getMaxMessageBytes();
        int perRecord = (int) info.getLimits().getMaxRecordBytes() / 2;
        List<ByteString> records = new java.util.ArrayList<>();
        for (long total = 0; total <= maxMessage; total += perRecord) {
            records.add(ByteString.copyFrom(new byte[perRecord]));
        }
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, "r", "f", 0, records));
        Status status = join(upload);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        stillServes(client);
    }

    @Test
    void aNulInATagIsStoredAsAReplacementCharacterAndIndexingGoesOn() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("nul-tag");
        long runId = client.run(exp, "r");
        // PostgreSQL refuses NUL in text: written as is, this insert failed on every retry.
        List<ByteString> records = List.of(Events.scalar("lo\0ss", 1, 1.0), Events.scalar("ok", 1, 2.0));
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, "r", "events.out.tfevents.9.host", 0, records));
        assertThat(upload.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertThat(new IndexQueries(dataSource).scalars(runId)).containsOnlyKeys("lo\uFFFDss", "ok");
        stillServes(client);
    }

    @Test
    void malformedPayloadsAreKeptRawAndRecordedWithoutLosingTheRecordsAroundThem() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("malformed");
        long runId = client.run(exp, "r");
        List<ByteString> records = List.of(Events.scalar("x", 1, 1.0),
                ByteString.copyFromUtf8("this is not a protobuf \u00ff\u00fe"),
                ByteString.EMPTY,
                Events.scalar("x", 2, 2.0));
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, "r", "events.out.tfevents.9.host", 0, records));
        Status status = upload.finish();
        assertThat(status.isOk()).as(status.toString()).isTrue();
        assertThat(upload.acks).extracting(BatchAck::getRecordsAccepted).containsExactly(4L);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        IndexQueries sql = new IndexQueries(dataSource);
        assertThat(sql.scalars(runId).get("x")).extracting(IndexQueries.Point::step).containsExactly(1L, 2L);
        long badOffset = Events.end(0, records.subList(0, 1));
        long emptyOffset = Events.end(0, records.subList(0, 2));
        assertThat(sql.rows("SELECT file_name, file_offset, kind FROM ingest_problem WHERE run_id = ? ORDER BY file_offset",
                runId)).containsExactly(
                List.of("events.out.tfevents.9.host", badOffset, "NOT_AN_EVENT"),
                List.of("events.out.tfevents.9.host", emptyOffset, "EMPTY_RECORD"));
        assertThat(sql.string("SELECT message FROM ingest_problem WHERE run_id = ? AND kind = 'NOT_AN_EVENT'", runId))
                .contains("offset " + badOffset).contains("events.out.tfevents.9.host");
        assertThat(sql.count("SELECT record_count FROM source_file WHERE run_id = ?", runId)).isEqualTo(4);
    }

    @Test
    void misalignedResumeIsRejectedAndFinishRunMarksTheRun() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("misaligned");
        List<ByteString> records = List.of(Events.scalar("x", 1, 1.0), Events.scalar("x", 2, 2.0));
        UploadClient first = new UploadClient(client.async);
        first.send(Events.batch(1, exp, "r", "f", 0, records));
        assertThat(first.finish().isOk()).isTrue();
        UploadClient misaligned = new UploadClient(client.async);
        // Starts 5 bytes into the first record: the second record then straddles the stored end.
        misaligned.send(Events.batch(2, exp, "r", "f", 5, List.of(Events.scalar("x", 1, 1.0),
                Events.scalar("x", 2, 2.0), Events.scalar("x", 3, 3.0))));
        Status status = join(misaligned);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("overlaps bytes already stored");

        var run = client.blocking.finishRun(FinishRunRequest.newBuilder().setExperimentId(exp).setRunPath("r")
                .setStatus(RunStatus.RUN_STATUS_FAILED).build());
        assertThat(run.getStatus()).isEqualTo(RunStatus.RUN_STATUS_FAILED);
        assertThat(run.hasEndTime()).isTrue();
        assertThatThrownBy(() -> client.blocking.finishRun(FinishRunRequest.newBuilder().setExperimentId(exp)
                .setRunPath("nope").setStatus(RunStatus.RUN_STATUS_FINISHED).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        stillServes(client);
    }

    @Test
    void offsetsFarPastWhatIsStoredAreRefusedAndTheFileGoesOn() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("far-offsets");
        List<ByteString> records = List.of(Events.scalar("x", 1, 1.0), Events.scalar("x", 2, 2.0));
        UploadClient first = new UploadClient(client.async);
        first.send(Events.batch(1, exp, "r", "f", 0, records));
        assertThat(first.finish().isOk()).isTrue();
        long stored = first.acks.get(0).getCommittedOffset();
        // Near 2^63 the offset sums once overflowed (every record counted as a duplicate); 2^62
        // opened a hole below which every real batch would have been a duplicate.
        for (long offset : List.of(Long.MAX_VALUE - 10, 1L << 62, stored + (1L << 30) + 1)) {
            UploadClient far = new UploadClient(client.async);
            far.send(Events.batch(2, exp, "r", "f", offset, List.of(Events.scalar("x", 3, 3.0))));
            Status status = join(far);
            assertThat(status.getCode()).as("offset %d", offset).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).as("offset %d", offset).contains("batch.start_offset");
        }
        UploadClient next = new UploadClient(client.async);
        next.send(Events.batch(3, exp, "r", "f", stored, List.of(Events.scalar("x", 3, 3.0))));
        assertThat(next.finish().isOk()).isTrue();
        assertThat(next.acks.get(0).getRecordsAccepted()).isEqualTo(1);
    }

    @Test
    void committedOffsetsCarryTheFingerprintOfEachFilesFirstRecord() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("fingerprints");
        ByteString firstRecord = Events.scalar("x", 1, 1.0);
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, "r", "f", 0, List.of(firstRecord, Events.scalar("x", 2, 2.0))));
        assertThat(upload.finish().isOk()).isTrue();

        var offsets = client.blocking.getCommittedOffsets(GetCommittedOffsetsRequest.newBuilder()
                .setExperimentId(exp).build()).getOffsetsList();
        assertThat(offsets).singleElement().satisfies(o -> {
            assertThat(o.hasHeadCrc()).isTrue();
            assertThat(o.getHeadCrc()).isEqualTo(FileHead.of(firstRecord.toByteArray()));
            assertThat(o.getCommittedOffset()).isEqualTo(upload.acks.get(0).getCommittedOffset());
        });
    }

    private static Status join(UploadClient upload) {
        try {
            return upload.finish();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A normal upload still works after bad input. */
    private void stillServes(IngestClient client) {
        String exp = client.experiment("after-bad-input");
        UploadClient upload = new UploadClient(client.async);
        List<ByteString> records = List.of(Events.scalar("ok", 1, 1.0));
        upload.send(Events.batch(1, exp, "fine", "f-" + System.nanoTime(), 0, records));
        Status status = join(upload);
        assertThat(status.isOk()).as(status.toString()).isTrue();
        assertThat(upload.acks).hasSize(1);
    }
}
