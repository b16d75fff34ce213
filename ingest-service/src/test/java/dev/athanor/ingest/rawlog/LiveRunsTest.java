package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.FileOffset;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.testing.Await;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * 10,000 live runs (never finished), written by streams that open and close over time, on a
 * replica whose run logs may hold only 64 files: the process's open files stay within that bound
 * (plus the files of the runs being written at that moment), and every acknowledged byte is
 * committed once, reopened runs included, and indexed.
 */
@QuarkusTest
@TestProfile(LiveRunsTest.SmallFileBound.class)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class LiveRunsTest {

    static final int BOUND = 64;
    static final int RUNS = 10_000;
    static final int STREAMS = 8;
    /** Runs one stream writes before it is closed and another opened. */
    static final int RUNS_PER_STREAM = 50;
    /** athanor.ingest.limits.max-inflight-batches: the runs one stream may be writing at once. */
    static final int IN_FLIGHT = 8;

    public static class SmallFileBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("athanor.ingest.open-files.max-run-files", Integer.toString(BOUND),
                    "athanor.ingest.limits.max-inflight-batches", Integer.toString(IN_FLIGHT),
                    "athanor.ingest.index.max-cached-states", "100");
        }
    }

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    RawLog rawLog;

    @Inject
    AgroalDataSource dataSource;

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;  // a descriptor vanished while listed: try again at the next sample
        }
    }

    @Test
    void tenThousandLiveRunsStayUnderTheOpenFileBoundWithNothingLost() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("live-runs");
        // Warm up the paths (gRPC connection, PostgreSQL pool, indexer threads) before the baseline.
        writeRuns(client, exp, "warm-", 0, STREAMS * 2, 0);
        Thread.sleep(500);
        long baseline = openDescriptors();
        AtomicLong maxDescriptors = new AtomicLong(baseline);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxDescriptors.accumulateAndGet(openDescriptors(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Map<String, Long> sent = new HashMap<>();
        try {
            sent.putAll(writeRuns(client, exp, "run-", 0, RUNS, 0));
            // Every 10th run writes again, long after its files were closed: reopened, continued.
            for (int i = 0; i < RUNS; i += 10 * RUNS_PER_STREAM) {
                sent.putAll(writeRuns(client, exp, "run-", i, Math.min(RUNS, i + RUNS_PER_STREAM), 1));
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }

        // Beyond the bound only the runs being written at that moment hold files (journal and
        // segment each): at most max-inflight-batches runs per stream. Besides, the process may
        // open PostgreSQL connections up to the pool size and one segment per indexer thread.
        int writing = 2 * STREAMS * IN_FLIGHT;
        System.out.printf("live runs: %d runs, run-log files peak %d (bound %d), process descriptors %d -> peak %d%n",
                RUNS, rawLog.openFiles().peak(), BOUND, baseline, maxDescriptors.get());
        assertThat(rawLog.openFiles().peak()).isLessThanOrEqualTo(BOUND + writing);
        assertThat(maxDescriptors.get() - baseline).as("descriptors opened over the %d before the runs", baseline)
                .isLessThanOrEqualTo(BOUND + writing + 8 + 2);
        assertThat(rawLog.openFiles().open()).as("held once the writes are over").isLessThanOrEqualTo(BOUND);

        var offsets = client.blocking.getCommittedOffsets(GetCommittedOffsetsRequest.newBuilder()
                .setExperimentId(exp).build());
        Map<String, Long> committed = new HashMap<>();
        for (FileOffset o : offsets.getOffsetsList()) {
            committed.put(o.getRunPath(), o.getCommittedOffset());
        }
        assertThat(committed).containsAllEntriesOf(sent);

        IndexQueries sql = new IndexQueries(dataSource);
        String indexed = """
                SELECT count(*) FROM run r JOIN source_file f ON f.run_id = r.id
                WHERE r.experiment_id = ? AND f.committed_offset > 0 AND f.indexed_offset = f.committed_offset""";
        long runs = RUNS + STREAMS * 2;
        Await.until("all " + runs + " runs fully indexed", Duration.ofSeconds(300), Duration.ofMillis(500),
                () -> sql.count(indexed, Long.parseLong(exp)) >= runs);
        assertThat(sql.count(indexed, Long.parseLong(exp))).as("runs fully indexed").isEqualTo(runs);
        assertThat(sql.count("""
                SELECT sum(s.point_count) FROM run r JOIN series s ON s.run_id = r.id
                WHERE r.experiment_id = ? AND s.tag = 'loss'""", Long.parseLong(exp)))
                .isEqualTo(2L * RUNS + 2L * RUNS / 10 + 2L * STREAMS * 2);
    }

    /**
     * Writes two scalar points to each run {@code prefix + i} for i in {@code [from, to)} (wave {@code wave} of them), from
     * {@link #STREAMS} threads, each stream carrying {@link #RUNS_PER_STREAM} runs and then
     * closed. Returns each run's file end.
     */
    private Map<String, Long> writeRuns(IngestClient client, String exp, String prefix, int from, int to, int wave)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
        List<Future<Map<String, Long>>> parts = new ArrayList<>();
        for (int start = from; start < to; start += RUNS_PER_STREAM) {
            int first = start;
            int last = Math.min(to, start + RUNS_PER_STREAM);
            parts.add(pool.submit(() -> {
                Map<String, Long> ends = new HashMap<>();
                UploadClient stream = new UploadClient(client.async);
                for (int i = first; i < last; i++) {
                    String run = prefix + i;
                    List<ByteString> records = List.of(Events.scalar("loss", 2L * wave, i),
                            Events.scalar("loss", 2L * wave + 1, -i));
                    long start0 = wave == 0 ? 0 : Events.end(0, List.of(Events.scalar("loss", 0, i),
                            Events.scalar("loss", 1, -i)));
                    stream.send(Events.batch(i, exp, run, "events.out.tfevents.1", start0, records));
                    ends.put(run, Events.end(start0, records));
                }
                Status status = stream.finish();
                assertThat(status.isOk()).as(status.toString()).isTrue();
                assertThat(stream.acks).hasSize(last - first);
                return ends;
            }));
        }
        Map<String, Long> ends = new HashMap<>();
        for (Future<Map<String, Long>> part : parts) {
            ends.putAll(part.get());
        }
        pool.shutdown();
        return ends;
    }
}
