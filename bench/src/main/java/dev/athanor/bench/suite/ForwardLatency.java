package dev.athanor.bench.suite;

import com.google.protobuf.ByteString;
import dev.athanor.bench.Tf2Scalars;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import dev.athanor.tfevents.event.EventFileNames;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What forwarding to a run's owner adds to an acknowledgement (issue 13): one run, owned by
 * replica 0 (its first batch went there), written one single-record batch at a time on two Upload
 * streams — one straight to replica 0, one to replica 1, which forwards the batches to replica 0
 * and relays its acks. Each round trip is timed from sending the batch to receiving its ack (the
 * owner fsyncs and records the commit in PostgreSQL before it acks); the next batch goes once the
 * ack is in. The two streams take turns, batch by batch, so both see the same machine load. Each
 * stream writes its own event file of the run, so every ack can be checked: one record accepted,
 * none duplicate, the committed offset advanced by exactly the frame (16 + payload bytes).
 * Afterwards replica 1's forward counter must have grown by its batches and the index must hold
 * every point once.
 */
final class ForwardLatency {

    /** Payload size of each record, about that of a scalar event with its tag and plugin metadata. */
    static final int RECORD_BYTES = 200;
    private static final String TAG_BASE = "forward_probe/ack_latency";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    record Stats(double p50, double p90, double p99, double mean, double max) {

        static Stats of(double[] millis) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            // Nearest-rank percentiles, as the REST latency table's.
            return new Stats(LatencyProbe.Percentiles.at(sorted, 50), LatencyProbe.Percentiles.at(sorted, 90),
                    LatencyProbe.Percentiles.at(sorted, 99), Arrays.stream(sorted).average().orElse(0),
                    sorted[sorted.length - 1]);
        }
    }

    record Result(int replicas, int requests, int warmup, int recordBytes, Stats direct, Stats forwarded,
                  long forwardedBatches, String owner, String load) {
    }

    private ForwardLatency() {
    }

    static Result measure(BenchSuite suite, String experimentName, int warmup, int requests) throws Exception {
        if (suite.ingestReplicas() < 2) {
            throw new IllegalArgumentException("the forwarded-stream probe needs at least 2 ingest replicas");
        }
        ManagedChannel owner = channel(suite.grpcEndpoint(0));
        ManagedChannel other = channel(suite.grpcEndpoint(1));
        try {
            var ownerBlocking = IngestServiceGrpc.newBlockingStub(owner).withDeadlineAfter(30, TimeUnit.SECONDS);
            String experiment = ownerBlocking.createExperiment(CreateExperimentRequest.newBuilder()
                    .setProject("default").setName(experimentName).build()).getExperimentId();
            String run = "probe";
            IngestServiceGrpc.newBlockingStub(owner).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .createRun(CreateRunRequest.newBuilder().setExperimentId(experiment).setPath(run).build());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            double forwardedBefore = forwardCounter(http, suite.ingestMetricsUrl(1));

            Writer direct = new Writer(IngestServiceGrpc.newStub(owner), experiment, run,
                    EventFileNames.name(1_735_689_600L, "direct", 1, 0, ".v2"), paddedTag("direct"), 0);
            Writer forwarded = new Writer(IngestServiceGrpc.newStub(other), experiment, run,
                    EventFileNames.name(1_735_689_600L, "forwarded", 1, 0, ".v2"), paddedTag("forwarded"), 1);
            // The run's first batch goes to replica 0, which takes its lease: replica 0 owns the run from here on.
            direct.roundTrip();
            double[] directMs = new double[requests];
            double[] forwardedMs = new double[requests];
            for (int i = 0; i < warmup + requests; i++) {
                long d = direct.roundTrip();
                long f = forwarded.roundTrip();
                if (i >= warmup) {
                    directMs[i - warmup] = d / 1e6;
                    forwardedMs[i - warmup] = f / 1e6;
                }
            }
            direct.finish();
            forwarded.finish();

            long forwardedBatches = Math.round(forwardCounter(http, suite.ingestMetricsUrl(1)) - forwardedBefore);
            if (forwardedBatches < forwarded.batches) {
                throw new IllegalStateException("replica 1 forwarded " + forwardedBatches + " batches, the probe sent "
                        + forwarded.batches + " through it: were they written there instead of on the owner?");
            }
            verifyIndexed(suite.jdbcUrl(), experimentName, run, direct.tag, direct.batches);
            String ownerNode = verifyIndexed(suite.jdbcUrl(), experimentName, run, forwarded.tag, forwarded.batches);
            if (ownerNode == null || !ownerNode.endsWith(" at " + suite.grpcEndpoint(0))) {
                throw new IllegalStateException("forward probe: the run's lease names " + ownerNode + ", not replica 0 ("
                        + suite.grpcEndpoint(0) + ")");
            }
            return new Result(suite.ingestReplicas(), requests, warmup, RECORD_BYTES, Stats.of(directMs),
                    Stats.of(forwardedMs), forwardedBatches, ownerNode, ProcStats.loadAverage());
        } finally {
            owner.shutdownNow();
            other.shutdownNow();
            owner.awaitTermination(5, TimeUnit.SECONDS);
            other.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One Upload stream writing one file of the run, a batch of one record at a time. */
    private static final class Writer implements StreamObserver<UploadResponse> {

        private final BlockingQueue<BatchAck> acks = new LinkedBlockingQueue<>();
        private final CompletableFuture<Status> done = new CompletableFuture<>();
        private final StreamObserver<UploadRequest> requests;
        private final String experiment;
        private final String run;
        private final String file;
        final String tag;
        private final int tagIndex;
        private long offset;
        private long batches;

        Writer(IngestServiceGrpc.IngestServiceStub stub, String experiment, String run, String file, String tag,
               int tagIndex) {
            this.experiment = experiment;
            this.run = run;
            this.file = file;
            this.tag = tag;
            this.tagIndex = tagIndex;
            this.requests = stub.upload(this);
        }

        /** Sends the next record and waits for its ack; returns the round trip in nanoseconds. */
        long roundTrip() throws InterruptedException {
            long step = batches;
            ByteString record = Tf2Scalars.event(tag, step, ScalarRunFiles.wallTime(tagIndex, step),
                    ScalarRunFiles.value(tagIndex, step), true).toByteString();
            long batchId = batches + 1;
            RecordBatch batch = RecordBatch.newBuilder().setBatchId(batchId).setExperimentId(experiment)
                    .setRunPath(run).setFileName(file).setStartOffset(offset).addRecords(record).build();
            long t0 = System.nanoTime();
            requests.onNext(UploadRequest.newBuilder().setBatch(batch).build());
            BatchAck ack = acks.poll(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long elapsed = System.nanoTime() - t0;
            if (ack == null) {
                throw new IllegalStateException(file + ": no ack for batch " + batchId + " within " + ACK_TIMEOUT
                        + (done.isDone() ? "; the stream ended: " + done.join() : ""));
            }
            long expected = offset + 16 + record.size();
            if (ack.getBatchId() != batchId || ack.getCommittedOffset() != expected || ack.getRecordsAccepted() != 1
                    || ack.getRecordsDuplicate() != 0 || !ack.getFileName().equals(file)) {
                throw new IllegalStateException(file + ": batch " + batchId + " at offset " + offset + " expected an ack"
                        + " to " + expected + " with 1 record accepted and none duplicate, got " + ack.toString()
                        .replace('\n', ' '));
            }
            offset = expected;
            batches++;
            return elapsed;
        }

        void finish() throws Exception {
            requests.onCompleted();
            Status status = done.get(30, TimeUnit.SECONDS);
            if (!status.isOk()) {
                throw new IllegalStateException(file + ": the Upload stream ended with " + status);
            }
        }

        @Override
        public void onNext(UploadResponse value) {
            acks.add(value.getAck());
        }

        @Override
        public void onError(Throwable t) {
            done.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            done.complete(Status.OK);
        }
    }

    /**
     * A tag of its own per stream (the index keys a series by run and tag, so two files writing the
     * same steps of one tag would overlap), long enough that each payload is about {@link #RECORD_BYTES}.
     */
    private static String paddedTag(String path) {
        String base = TAG_BASE + "/" + path;
        int size = Tf2Scalars.event(base, 1000, 1.7e9, 0.5f, true).getSerializedSize();
        return base + "_" + "x".repeat(Math.max(0, RECORD_BYTES - size - 1));
    }

    /**
     * Waits until the index holds every record one stream wrote, once (one point per batch, in
     * the series of its tag), and returns the run's owner from the lease table.
     */
    private static String verifyIndexed(String jdbcUrl, String experiment, String run, String tag, long points)
            throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             PreparedStatement count = db.prepareStatement("SELECT coalesce(sum(c.point_count), 0),"
                     + " (SELECT l.owner || ' at ' || l.owner_address FROM run_lease l WHERE l.run_id = r.id)"
                     + " FROM run r JOIN experiment e ON e.id = r.experiment_id"
                     + " LEFT JOIN series s ON s.run_id = r.id AND s.tag = ?"
                     + " LEFT JOIN scalar_chunk c ON c.series_id = s.id"
                     + " WHERE e.name = ? AND r.path = ? GROUP BY r.id")) {
            count.setString(1, tag);
            count.setString(2, experiment);
            count.setString(3, run);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long indexed = -1;
            String owner = "?";
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = count.executeQuery()) {
                    if (rs.next()) {
                        indexed = rs.getLong(1);
                        owner = rs.getString(2);
                    }
                }
                if (indexed >= points) {
                    break;
                }
                Thread.sleep(100);
            }
            if (indexed != points) {
                throw new IllegalStateException("forward probe: wrote " + points + " points of " + tag
                        + ", the index holds " + indexed);
            }
            return owner;
        }
    }

    /** athanor_ingest_forward_batches_total on a replica's Prometheus endpoint (0 before the first). */
    private static double forwardCounter(HttpClient http, String metricsUrl) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metricsUrl))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("athanor_ingest_forward_batches_total")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static ManagedChannel channel(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return Grpc.newChannelBuilderForAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)), InsecureChannelCredentials.create()).build();
    }

    static List<String> csvLines(List<Result> results) {
        return results.stream().flatMap(r -> List.of(
                csv(r, "direct", r.direct()), csv(r, "forwarded", r.forwarded())).stream()).toList();
    }

    private static String csv(Result r, String path, Stats s) {
        return String.format(java.util.Locale.ROOT, "%d,%s,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%s,%s", r.replicas(), path,
                r.requests(), r.warmup(), r.recordBytes(), s.p50(), s.p90(), s.p99(), s.mean(), s.max(), r.owner(),
                r.load());
    }
}
