package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.IngestAdminServiceGrpc;
import dev.athanor.proto.ingest.v1.ReindexRequest;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Step rewinds against points already committed to the index (not just buffered), chunk
 * packing across transactions, and rebuilding the index from the raw log.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class RewindAndChunkTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Test
    void aRestartedJobReplacesStoredPointsFromTheRewoundStepAcrossFiles() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("rewind-files");
        long runId = client.run(exp, "restart");
        Path first = Fixtures.file("generated/tf_summary/restart/events.out.tfevents.1795729064.vm.29665.5.v2");
        Path second = Fixtures.file("generated/tf_summary/restart/events.out.tfevents.1795729067.vm.29673.0.v2");
        client.upload(exp, "restart", List.of(first), 100);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertThat(steps(runId, "train/loss")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        client.upload(exp, "restart", List.of(second), 100);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        List<IndexQueries.Point> points = new IndexQueries(dataSource).scalars(runId).get("train/loss");
        assertThat(points).extracting(IndexQueries.Point::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(points.subList(5, 8)).extracting(IndexQueries.Point::value).containsExactly(15.0, 16.0, 17.0);
        assertThat(points.get(4).value()).isEqualTo((double) (float) (1.0 / 5));
        assertRollup(runId, "train/loss", 8, 0, 7, 17.0);
    }

    @Test
    void aRewindInsideOneFileSplitAcrossTransactions() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("rewind-in-file");
        long runId = client.run(exp, "r");
        Path file = Fixtures.file("generated/tf_summary/rewind_in_file/events.out.tfevents.1795729068.vm.29665.6.v2");
        List<TfRecord> records = SourceFiles.records(file);
        // Records: file_version, steps 0..9, then 5, 6, 7 again. Index up to step 9 first.
        UploadClient part1 = new UploadClient(client.async).sendAll(
                SourceFiles.batches(exp, "r", file.getFileName().toString(), records.subList(0, 11), 0, 4, 1));
        assertThat(part1.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertThat(steps(runId, "loss")).hasSize(10);
        UploadClient part2 = new UploadClient(client.async).sendAll(
                SourceFiles.batches(exp, "r", file.getFileName().toString(), records, 11, 1, 100));
        assertThat(part2.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        List<IndexQueries.Point> points = new IndexQueries(dataSource).scalars(runId).get("loss");
        assertThat(points).extracting(IndexQueries.Point::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(points.subList(5, 8)).extracting(IndexQueries.Point::value).containsExactly(-5.0, -6.0, -7.0);
        assertRollup(runId, "loss", 8, 0, 7, -7.0);
    }

    @Test
    void longSeriesArePackedInChunksAndARewindRewritesTheStraddlingChunk() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("chunks");
        long runId = client.run(exp, "long");
        long offset = 0;
        long batchId = 1;
        // Three waves of 900 points, each indexed before the next arrives (tail chunks are merged).
        for (int wave = 0; wave < 3; wave++) {
            List<ByteString> records = new ArrayList<>();
            for (int i = 0; i < 900; i++) {
                int step = wave * 900 + i;
                records.add(Events.scalar("x", step, step == 1000 ? Double.NaN : step * 0.5));
            }
            UploadClient up = new UploadClient(client.async);
            for (int i = 0; i < records.size(); i += 300) {
                List<ByteString> part = records.subList(i, i + 300);
                up.send(Events.batch(batchId++, exp, "long", "events.out.tfevents.1.synthetic", offset, part));
                offset = Events.end(offset, part);
            }
            assertThat(up.finish().isOk()).isTrue();
            scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        }
        IndexQueries sql = new IndexQueries(dataSource);
        assertThat(steps(runId, "x")).hasSize(2700).isSorted();
        var chunks = sql.rows("""
                SELECT c.first_step, c.last_step, c.point_count, c.nan_count, c.min_value, c.max_value
                FROM scalar_chunk c JOIN series s ON s.id = c.series_id WHERE s.run_id = ? ORDER BY c.first_step""", runId);
        assertThat(chunks).extracting(r -> ((Number) r.get(2)).intValue()).containsExactly(1000, 1000, 700);
        assertThat(chunks.get(1).get(3)).isEqualTo(1);   // the NaN at step 1000
        assertThat(chunks.get(1).get(4)).isEqualTo(500.5);
        assertRollup(runId, "x", 2700, 0, 2699, 2699 * 0.5);
        assertThat(sql.count("SELECT nan_count FROM series WHERE run_id = ?", runId)).isEqualTo(1);

        // A restarted writer goes back to step 1500: the second chunk is cut, the third removed.
        List<ByteString> again = List.of(Events.scalar("x", 1500, -1), Events.scalar("x", 1501, -2));
        UploadClient up = new UploadClient(client.async);
        up.send(Events.batch(batchId, exp, "long", "events.out.tfevents.2.synthetic", 0, again));
        assertThat(up.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        List<Long> steps = steps(runId, "x");
        assertThat(steps).hasSize(1502);
        assertThat(steps.getLast()).isEqualTo(1501);
        assertRollup(runId, "x", 1502, 0, 1501, -2.0);
        var after = sql.rows("""
                SELECT c.first_step, c.last_step, c.point_count FROM scalar_chunk c JOIN series s ON s.id = c.series_id
                WHERE s.run_id = ? ORDER BY c.first_step""", runId);
        long next = 0;
        for (var row : after) {
            assertThat(((Number) row.get(0)).longValue()).isEqualTo(next);
            next = ((Number) row.get(1)).longValue() + 1;
        }
        assertThat(sql.count("SELECT min_value FROM series WHERE run_id = ?", runId)).isEqualTo(-2);

        // Rebuilding from the raw log gives the same index.
        var before = sql.scalars(runId);
        IngestAdminServiceGrpc.newBlockingStub(channel).reindex(ReindexRequest.newBuilder().setExperimentId(exp).build());
        var rebuilt = sql.scalars(runId);
        assertThat(rebuilt.keySet()).isEqualTo(before.keySet());
        assertThat(rebuilt.get("x")).usingElementComparator(IndexQueries.Point::compareTo)
                .containsExactlyElementsOf(before.get("x"));
        assertRollup(runId, "x", 1502, 0, 1501, -2.0);
    }

    private List<Long> steps(long runId, String tag) throws Exception {
        return new IndexQueries(dataSource).scalars(runId).get(tag).stream().map(IndexQueries.Point::step).toList();
    }

    private void assertRollup(long runId, String tag, long count, long first, long last, double lastValue)
            throws Exception {
        var row = new IndexQueries(dataSource).rows("""
                SELECT point_count, first_step, last_step, last_value FROM series WHERE run_id = ? AND tag = ?""",
                runId, tag).getFirst();
        assertThat(((Number) row.get(0)).longValue()).isEqualTo(count);
        assertThat(((Number) row.get(1)).longValue()).isEqualTo(first);
        assertThat(((Number) row.get(2)).longValue()).isEqualTo(last);
        assertThat(((Number) row.get(3)).doubleValue()).isEqualTo(lastValue);
    }
}
