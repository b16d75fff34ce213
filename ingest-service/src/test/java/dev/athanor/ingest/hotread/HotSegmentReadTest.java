package dev.athanor.ingest.hotread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.index.IndexScheduler;
import dev.athanor.ingest.testing.AssetClient;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.IngestRawReadServiceGrpc;
import dev.athanor.proto.ingest.v1.ReadAssetRangeRequest;
import dev.athanor.proto.ingest.v1.ReadSegmentRangeRequest;
import dev.athanor.tfevents.record.TfRecord;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The cluster reads a live run's segment from the replica that holds it: the exact framed bytes
 * of a record, and nothing that is not one of the run's segments on this replica.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class HotSegmentReadTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Test
    void aRangeOfALiveSegmentIsReadBackFramedAndOnlyTheRunsOwnSegmentsCanBeRead() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("hot-read");
        long runId = client.run(exp, "live");
        List<ByteString> records = IntStream.range(0, 20).mapToObj(i -> Events.scalar("loss", i, 1.0 / (i + 1))).toList();
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, "live", "f", 0, records));
        assertThat(upload.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));

        IndexQueries sql = new IndexQueries(dataSource);
        String segment = sql.string("SELECT relative_path FROM raw_segment WHERE run_id = ?", runId);
        var reads = IngestRawReadServiceGrpc.newBlockingStub(channel);
        int secondFrame = TfRecord.FRAME_OVERHEAD + records.get(1).size();
        long secondOffset = TfRecord.FRAME_OVERHEAD + records.getFirst().size();
        byte[] frame = reads.readSegmentRange(request(runId, segment, secondOffset, secondFrame)).getData().toByteArray();
        ByteBuffer header = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getLong(0)).as("length field of the second record's frame").isEqualTo(records.get(1).size());
        assertThat(ByteString.copyFrom(frame, 12, records.get(1).size())).isEqualTo(records.get(1));

        assertThat(sql.string("SELECT address FROM ingest_node WHERE name = 'testnode'"))
                .as("where this replica announced it is read").matches("127\\.0\\.0\\.1:\\d+");

        assertCode(() -> reads.readSegmentRange(request(runId, "../../../../etc/passwd", 0, 10)), Status.Code.NOT_FOUND);
        assertCode(() -> reads.readSegmentRange(request(runId + 1000, segment, 0, 10)), Status.Code.NOT_FOUND);
        long size = Events.end(0, records); // one file, one segment: the segment ends where the file does
        assertCode(() -> reads.readSegmentRange(request(runId, segment, size - 4, 10)), Status.Code.OUT_OF_RANGE);
        assertCode(() -> reads.readSegmentRange(request(runId, segment, 0, 64 << 20)), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> reads.readSegmentRange(request(runId, segment, -1, 10)), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aStoredAssetIsReadBackInRangesAndAnUnfinishedOneOrAnotherFileIsNot() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("hot-assets");
        long runId = client.run(exp, "traced");
        byte[] trace = new byte[300_000];
        new java.util.Random(7).nextBytes(trace);
        AssetClient assets = new AssetClient(client);
        String path = "plugins/profile/2026_01_01_00_00_00/host.xplane.pb";
        assertThat(assets.send(AssetClient.header(exp, "traced", path, trace), trace, 0, trace.length, 64 << 10)
                .status().isOk()).isTrue();
        byte[] partial = new byte[1000];
        String unfinishedPath = "plugins/profile/2026_01_01_00_00_00/other.xplane.pb";
        assets.send(AssetClient.header(exp, "traced", unfinishedPath, partial), partial, 0, 500, 500);

        IndexQueries sql = new IndexQueries(dataSource);
        String stored = sql.string("SELECT relative_path FROM run_asset WHERE run_id = ? AND state = 'COMPLETE'", runId);
        var reads = IngestRawReadServiceGrpc.newBlockingStub(channel);
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        for (int at = 0; at < trace.length; at += 128 << 10) {
            int length = Math.min(128 << 10, trace.length - at);
            read.write(reads.readAssetRange(assetRequest(runId, stored, at, length)).getData().toByteArray());
        }
        assertThat(read.toByteArray()).as("the asset, range by range").isEqualTo(trace);

        String unfinished = sql.string("SELECT relative_path FROM run_asset WHERE run_id = ? AND state = 'UPLOADING'", runId);
        assertCode(() -> reads.readAssetRange(assetRequest(runId, unfinished, 0, 10)), Status.Code.NOT_FOUND);
        assertCode(() -> reads.readAssetRange(assetRequest(runId, stored, trace.length - 4, 10)), Status.Code.OUT_OF_RANGE);
        assertCode(() -> reads.readAssetRange(assetRequest(runId, stored, 0, (1 << 20) + 1)), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> reads.readAssetRange(assetRequest(runId + 1000, stored, 0, 10)), Status.Code.NOT_FOUND);
        assertCode(() -> reads.readAssetRange(assetRequest(runId, "../../../../etc/passwd", 0, 10)), Status.Code.NOT_FOUND);
    }

    private static ReadAssetRangeRequest assetRequest(long runId, String path, long offset, int length) {
        return ReadAssetRangeRequest.newBuilder().setRunId(runId).setRelativePath(path).setOffset(offset)
                .setLength(length).build();
    }

    private static ReadSegmentRangeRequest request(long runId, String path, long offset, int length) {
        return ReadSegmentRangeRequest.newBuilder().setRunId(runId).setRelativePath(path).setOffset(offset)
                .setLength(length).build();
    }

    private static void assertCode(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getMessage()).isEqualTo(code));
    }
}
