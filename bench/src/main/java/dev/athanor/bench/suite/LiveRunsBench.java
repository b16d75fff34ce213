package dev.athanor.bench.suite;

import com.google.protobuf.ByteString;
import dev.athanor.bench.Tf2Scalars;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.FileOffset;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Live runs held by one ingest replica (issue 15): {@code --runs} runs that never finish, written
 * over time by {@code --streams} concurrent Upload streams, each stream carrying
 * {@code --runs-per-stream} runs (one batch of two TF2 scalar points each) and then closed; then
 * every tenth run writes again, long after its files were closed. Meanwhile the ingest-service
 * process is sampled every 200 ms: open descriptors ({@code /proc/<pid>/fd}), RSS, heap in use
 * (its {@code /q/metrics}) and the run logs' own open-file gauge. At the end the heap is measured
 * again after a full GC ({@code jcmd <pid> GC.run}), and every run is checked: committed offsets
 * equal what was sent, and the index holds every point. Prints one row, writes
 * {@code <out>/live-runs-bench.csv}. Not a test: nothing asserts a figure.
 *
 * <pre>
 * options: --out DIR              the suite's scratch home and the CSV (default bench/target)
 *          --runs N               live runs (default 10000)
 *          --streams N            concurrent Upload streams (default 16)
 *          --runs-per-stream N    runs one stream writes before it is closed (default 50)
 *          --max-run-files N      athanor.ingest.open-files.max-run-files (default: unset, the service's own)
 *          --index-timeout-s N    give up waiting for the index after this long (default 600)
 * </pre>
 */
public final class LiveRunsBench {

    /** How long after the last write the idle sample is taken (the default idle-close is 30 s). */
    private static final long IDLE_WAIT_SECONDS = 35;

    private LiveRunsBench() {
    }

    record Sample(long fds, long rssBytes, long heapBytes, long runLogFiles) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int runs = Integer.parseInt(o.getOrDefault("runs", "10000"));
        int streams = Integer.parseInt(o.getOrDefault("streams", "16"));
        int perStream = Integer.parseInt(o.getOrDefault("runs-per-stream", "50"));
        long indexTimeout = Long.parseLong(o.getOrDefault("index-timeout-s", "600"));
        Path repo = Path.of(System.getProperty("athanor.repo.root", ".")).toAbsolutePath();
        Path out = Path.of(o.getOrDefault("out", repo.resolve("bench").resolve("target").toString()));
        Map<String, String> settings = new LinkedHashMap<>();
        if (o.containsKey("max-run-files")) {
            settings.put("ATHANOR_INGEST_OPEN_FILES_MAX_RUN_FILES", o.get("max-run-files"));
        }
        PrintStream console = System.out;
        console.printf(Locale.ROOT, "Athanor live-runs benchmark: %s %s, %d CPUs, load %s, ulimit -n of this process %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ProcStats.loadAverage(), fileLimit());
        try (BenchSuite suite = BenchSuite.start(out.resolve("live-runs-bench"), repo, Duration.ofSeconds(180), 1,
                settings)) {
            long pid = suite.ingestPid();
            URI metrics = URI.create(suite.ingestMetricsUrl());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Sample idle = sample(pid, http, metrics);
            long bound = (long) gauge(http, metrics, "athanor_rawlog_open_files_max");
            console.printf(Locale.ROOT, "suite up (logs in %s); ingest-service pid %d, run-log file bound %d, idle: %d fds%n",
                    suite.logs(), pid, bound, idle.fds());
            ManagedChannel channel = Grpc.newChannelBuilder(suite.grpcEndpoint(), InsecureChannelCredentials.create())
                    .maxInboundMessageSize(64 << 20).build();
            List<Sample> samples = new ArrayList<>();
            // A flag, not an interrupt: the metrics request swallows one (it answers -1).
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (sampling.get()) {
                    Sample s = sample(pid, http, metrics);
                    synchronized (samples) {
                        samples.add(s);
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long t0 = System.nanoTime();
            String experiment;
            Map<String, Long> sent = new HashMap<>();
            int rewritten = 0;
            try {
                experiment = IngestServiceGrpc.newBlockingStub(channel).createExperiment(CreateExperimentRequest
                        .newBuilder().setProject("default").setName("live-runs").build()).getExperimentId();
                sent.putAll(write(channel, experiment, 0, runs, 0, streams, perStream));
                for (int i = 0; i < runs; i += 10 * perStream) {
                    Map<String, Long> again = write(channel, experiment, i, Math.min(runs, i + perStream), 1, streams,
                            perStream);
                    rewritten += again.size();
                    sent.putAll(again);
                }
            } finally {
                sampling.set(false);
                sampler.join();
            }
            long writesEnded = System.nanoTime();
            double writeSeconds = (writesEnded - t0) / 1e9;
            Sample end = sample(pid, http, metrics);
            long committed = committedRuns(channel, experiment, sent);
            long indexed = awaitIndexed(suite.jdbcUrl(), experiment, sent.size(), 2L * runs + 2L * rewritten,
                    indexTimeout);
            long heapAfterGc = heapAfterGc(pid, http, metrics);
            channel.shutdownNow();
            // The service's open-files.idle-close is 30 s by default: every run's files are closed by then.
            long idleFor = System.nanoTime() - writesEnded;
            Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(IDLE_WAIT_SECONDS) - TimeUnit.NANOSECONDS.toMillis(idleFor)));
            Sample idleAgain = sample(pid, http, metrics);
            long peakFds = samples.stream().mapToLong(Sample::fds).max().orElse(-1);
            long peakRunLogFiles = samples.stream().mapToLong(Sample::runLogFiles).max().orElse(-1);
            long peakRss = samples.stream().mapToLong(Sample::rssBytes).max().orElse(-1);
            long peakHeap = samples.stream().mapToLong(Sample::heapBytes).max().orElse(-1);

            console.println();
            console.println("Live runs held: one ingest replica (-Xmx1g), runs never finished, written over time by"
                    + " streams that open and close; every 10th run written again later");
            console.printf(Locale.ROOT, "%-15s %6s %7s %10s | %-31s | %13s | %-16s | %-18s | %9s %7s %7s%n",
                    "figure", "runs", "streams", "file bound", "open fds before/peak/end/idle", "run-log files",
                    "RSS MiB peak/end", "heap MiB peak/GC'd", "committed", "indexed", "write s");
            console.printf(Locale.ROOT, "%-15s %6d %7d %10d | %6d / %6d / %6d / %6d | %13d | %7d / %-6d | %7d / %-8d | %9d %7d %7.1f%n",
                    "live runs held", runs, streams, bound, idle.fds(), peakFds, end.fds(), idleAgain.fds(),
                    peakRunLogFiles, mib(peakRss), mib(end.rssBytes()), mib(peakHeap), mib(heapAfterGc), committed,
                    indexed, writeSeconds);
            console.printf(Locale.ROOT, "fds: ingest-service's, before the runs, peak while writing, right after, and %d s"
                    + " after the last write (%d run-log files then); run-log files: the most the run logs held at a"
                    + " sample; heap GC'd: after jcmd GC.run at the end. Ingest before the runs: RSS %d MiB, heap"
                    + " %d MiB; %d runs written twice%n", IDLE_WAIT_SECONDS, idleAgain.runLogFiles(),
                    mib(idle.rssBytes()), mib(idle.heapBytes()), rewritten);
            Path csv = out.resolve("live-runs-bench.csv");
            Files.createDirectories(out);
            Files.writeString(csv, "runs,streams,runs_per_stream,run_log_file_bound,fds_before,fds_peak,fds_end,"
                    + "fds_idle_after,run_log_files_peak,rss_peak_bytes,rss_end_bytes,heap_peak_bytes,heap_after_gc_bytes,"
                    + "runs_committed,runs_indexed,write_seconds\n"
                    + String.join(",", List.of(Integer.toString(runs), Integer.toString(streams),
                    Integer.toString(perStream), Long.toString(bound), Long.toString(idle.fds()),
                    Long.toString(peakFds), Long.toString(end.fds()), Long.toString(idleAgain.fds()),
                    Long.toString(peakRunLogFiles),
                    Long.toString(peakRss), Long.toString(end.rssBytes()), Long.toString(peakHeap),
                    Long.toString(heapAfterGc), Long.toString(committed), Long.toString(indexed),
                    String.format(Locale.ROOT, "%.1f", writeSeconds))) + "\n");
            console.println("wrote " + csv);
        }
    }

    /**
     * Writes two points to each run {@code run-<i>}, i in {@code [from, to)} (points {@code 2 wave}
     * and {@code 2 wave + 1}), over {@code streams} threads; each stream carries {@code perStream}
     * runs, then is closed. Returns each run's file end.
     */
    private static Map<String, Long> write(ManagedChannel channel, String experiment, int from, int to, int wave,
                                           int streams, int perStream) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Future<Map<String, Long>>> parts = new ArrayList<>();
            for (int start = from; start < to; start += perStream) {
                int first = start;
                int last = Math.min(to, start + perStream);
                parts.add(pool.submit(() -> stream(channel, experiment, first, last, wave)));
            }
            Map<String, Long> ends = new HashMap<>();
            for (Future<Map<String, Long>> part : parts) {
                ends.putAll(part.get());
            }
            return ends;
        } finally {
            pool.shutdown();
        }
    }

    private static Map<String, Long> stream(ManagedChannel channel, String experiment, int first, int last, int wave)
            throws Exception {
        CompletableFuture<Status> done = new CompletableFuture<>();
        AtomicInteger acks = new AtomicInteger();
        StreamObserver<UploadRequest> requests = IngestServiceGrpc.newStub(channel).upload(new StreamObserver<>() {
            @Override
            public void onNext(UploadResponse value) {
                acks.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                done.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                done.complete(Status.OK);
            }
        });
        Map<String, Long> ends = new HashMap<>();
        for (int i = first; i < last; i++) {
            List<ByteString> earlier = points(i, 0);
            long start = wave == 0 ? 0 : end(0, earlier);
            List<ByteString> records = points(i, wave);
            requests.onNext(UploadRequest.newBuilder().setBatch(RecordBatch.newBuilder().setBatchId(i)
                    .setExperimentId(experiment).setRunPath("run-" + i).setFileName("events.out.tfevents.1.live")
                    .setStartOffset(start).addAllRecords(records)).build());
            ends.put("run-" + i, end(start, records));
        }
        requests.onCompleted();
        Status status = done.get(600, TimeUnit.SECONDS);
        if (!status.isOk() || acks.get() != last - first) {
            throw new IllegalStateException("stream of runs " + first + ".." + (last - 1) + " ended " + status + " with "
                    + acks.get() + " acks for " + (last - first) + " batches");
        }
        return ends;
    }

    private static List<ByteString> points(int run, int wave) {
        return List.of(Tf2Scalars.event("loss", 2L * wave, 1.7e9 + wave, run, wave == 0).toByteString(),
                Tf2Scalars.event("loss", 2L * wave + 1, 1.7e9 + wave + 0.5, -run, false).toByteString());
    }

    private static long end(long start, List<ByteString> records) {
        return start + records.stream().mapToLong(r -> 16 + r.size()).sum();
    }

    /** Runs whose committed offset is what was sent; fails loudly when one is not. */
    private static long committedRuns(ManagedChannel channel, String experiment, Map<String, Long> sent) {
        Map<String, Long> committed = new HashMap<>();
        for (FileOffset f : IngestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.SECONDS)
                .getCommittedOffsets(GetCommittedOffsetsRequest.newBuilder().setExperimentId(experiment).build())
                .getOffsetsList()) {
            committed.put(f.getRunPath(), f.getCommittedOffset());
        }
        long ok = sent.entrySet().stream().filter(e -> e.getValue().equals(committed.get(e.getKey()))).count();
        if (ok != sent.size()) {
            throw new IllegalStateException((sent.size() - ok) + " runs are not committed up to what was sent");
        }
        return ok;
    }

    /** Waits until every run's file is indexed to its end; returns how many are, checking the point total. */
    private static long awaitIndexed(String jdbcUrl, String experiment, int runs, long points, long timeoutSeconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            long indexed = 0;
            while (System.nanoTime() < deadline) {
                indexed = count(c, """
                        SELECT count(*) FROM run r JOIN source_file f ON f.run_id = r.id WHERE r.experiment_id = ?
                        AND f.committed_offset > 0 AND f.indexed_offset = f.committed_offset""", experiment);
                if (indexed >= runs) {
                    break;
                }
                Thread.sleep(500);
            }
            long stored = count(c, """
                    SELECT coalesce(sum(s.point_count), 0) FROM run r JOIN series s ON s.run_id = r.id
                    WHERE r.experiment_id = ?""", experiment);
            if (indexed < runs || stored != points) {
                throw new IllegalStateException("index: " + indexed + " of " + runs + " runs indexed, " + stored
                        + " points stored, " + points + " sent");
            }
            return indexed;
        }
    }

    private static long count(Connection c, String sql, String experiment) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, Long.parseLong(experiment));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Sample sample(long pid, HttpClient http, URI metrics) {
        long fds;
        try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = list.count();
        } catch (IOException | RuntimeException e) {
            fds = -1;
        }
        return new Sample(fds, ProcStats.statusBytes(pid, "VmRSS"), MemorySampler.heapUsed(http, metrics),
                (long) gauge(http, metrics, "athanor_rawlog_open_files"));
    }

    /** The heap in use right after a full collection: what the held runs really keep alive. */
    private static long heapAfterGc(long pid, HttpClient http, URI metrics) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
        return MemorySampler.heapUsed(http, metrics);
    }

    /** A gauge's value from the Prometheus text, or -1. */
    private static double gauge(HttpClient http, URI metrics, String name) {
        try {
            String body = http.send(java.net.http.HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception e) {
            // not answering: unknown
        }
        return -1;
    }

    private static long mib(long bytes) {
        return bytes < 0 ? -1 : bytes >> 20;
    }

    private static String fileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.substring("Max open files".length()).trim().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "?";
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
