package dev.athanor.bench.suite;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole suite on this machine (embedded PostgreSQL 17, query-service, ingest-service, started
 * as {@code athanor up} starts them), measured from a client on the same machine over 127.0.0.1:
 * <ol>
 *   <li><b>ingest</b>: sustained ingest, counted when durable in the raw log and indexed in
 *       PostgreSQL, in two kinds of rounds: N concurrent streams (N uploaders, library, once mode,
 *       one logdir of one run and one gRPC stream each: N training pods) and a sweep of N runs
 *       (one logdir holding N runs, one uploader, one stream, one experiment: {@code athanor
 *       upload --once} of a sweep); beside each round, the reference ceiling: a plain per-row
 *       binary COPY of the same points into a {@code (series_id, step, wall_time, value)} table in
 *       the same PostgreSQL; ingest-service RSS and heap under that load;</li>
 *   <li><b>read</b>: one 1M-point series, uploaded through the same ingest path (so chunked by the
 *       real indexer), read downsampled to 1,000 buckets;</li>
 *   <li><b>search</b>: run search over 10,000 runs written into the index schema by COPY, with an
 *       hparam filter, a metric filter and a sort by a metric.</li>
 * </ol>
 * With {@code --ingest-replicas 1,3} the ingest part runs once per replica count, each in a fresh
 * suite with that many ingest-service processes (issue 13): each round's streams start at replica
 * {@code i % N} of the uploaders' endpoint list, resources are summed over the replicas, and with
 * N &ge; 2 a {@link ForwardLatency} probe times single-batch acks straight to a run's owner against
 * acks through another replica that forwards to it. The read and search parts run in the first
 * suite only.
 * Prints tables and writes {@code <out>/suite-bench-ingest.csv} and
 * {@code <out>/suite-bench-latency.csv} (and {@code <out>/suite-bench-forward.csv} when the probe
 * ran). Not a test: nothing asserts a time.
 *
 * <pre>
 * options: --out DIR              generated data, the suite's scratch home and the CSVs (default bench/target)
 *          --parts A,B            subset of ingest,read,search (default all)
 *          --streams 1,2,4        ingest rounds of N uploaders, one run each (N streams); "" for none
 *          --sweeps 100           ingest rounds of one uploader over a logdir of N runs (default none); "" for none
 *          --ingest-replicas 1,3  ingest-service processes, one suite each (default 1)
 *          --forward-requests N   measured round trips per path of the forwarding probe (default 300)
 *          --forward-warmup N     warm-up round trips per path of the forwarding probe (default 50)
 *          --points N             scalar points per round, split over the streams (default 5000000)
 *          --warmup-points N      points of the unreported warm-up ingest on 2 streams (default 1000000)
 *          --read-points N        points of the series read back (default 1000000)
 *          --runs N               runs for the search (default 10000)
 *          --requests N           measured requests per query (default 300)
 *          --warmup N             warm-up requests per query (default 100)
 *          --round-timeout-s N    give up waiting for the index after this long (default 600)
 *          --keep                 keep the suite's data directory (PostgreSQL, raw log, logs) afterwards
 * </pre>
 */
public final class SuiteBench {

    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
    private static final Pattern TOTAL_POINTS = Pattern.compile("\"totalPoints\":(\\d+)");
    private static final Pattern CHUNKS_OPENED = Pattern.compile("\"chunksOpened\":(\\d+)");
    private static final Pattern STEPS = Pattern.compile("\"step\":\\[([^\\]]*)\\]");

    private SuiteBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path repo = repoRoot();
        Path out = o.out != null ? o.out : repo.resolve("bench").resolve("target");
        Path work = out.resolve("suite-bench");
        Files.createDirectories(work);
        PrintStream console = System.out;
        console.printf(Locale.ROOT, "Athanor suite benchmark: %s %s, %d CPUs, load %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ProcStats.loadAverage());

        // Inputs first (generation is not measured): one directory of logdirs per round.
        long t0 = System.nanoTime();
        List<Round> rounds = new ArrayList<>();
        List<IngestRound.Run> warmupRun = List.of();
        if (o.parts.contains("ingest")) {
            // 2 streams, or one per replica so that every replica warms up.
            int warmupStreams = Math.max(2, o.ingestReplicas.stream().mapToInt(Integer::intValue).max().orElse(1));
            warmupRun = IngestRound.prepareStreams(work.resolve("data").resolve(warmupStreams == 2 ? "warmup" : "warmup-" + warmupStreams),
                    "sb-warmup-s", warmupStreams, o.warmupPoints, ScalarRunFiles.TRAINING_TAGS);
            for (int n : o.streams) {
                String prefix = "sb-ingest-n" + n + "-s";
                rounds.add(new Round(n, false, prefix, IngestRound.prepareStreams(work.resolve("data").resolve("n" + n), prefix,
                        n, o.points, ScalarRunFiles.TRAINING_TAGS)));
            }
            for (int n : o.sweeps) {
                String experiment = "sb-sweep-n" + n + "-e";
                rounds.add(new Round(n, true, experiment, IngestRound.prepareSweep(work.resolve("data").resolve("sweep" + n),
                        experiment, n, o.points, ScalarRunFiles.TRAINING_TAGS)));
            }
        }
        List<IngestRound.Run> readRun = o.parts.contains("read")
                ? IngestRound.prepareStreams(work.resolve("data").resolve("read"), "sb-read-s", 1, o.readPoints, List.of("loss"))
                : List.of();
        console.printf(Locale.ROOT, "inputs ready in %.1f s under %s%n", (System.nanoTime() - t0) / 1e9,
                work.resolve("data"));

        List<IngestRound.Result> ingest = new ArrayList<>();
        List<CopyCeiling.Result> ceiling = new ArrayList<>();
        List<LatencyProbe.Latency> latencies = new ArrayList<>();
        List<Report.Idle> idle = new ArrayList<>();
        List<ForwardLatency.Result> forward = new ArrayList<>();
        Duration roundTimeout = Duration.ofSeconds(o.roundTimeoutSeconds);
        boolean showReplicas = !o.ingestReplicas.equals(List.of(1));
        // One fresh suite per replica count; only the ingest part is repeated, read and search run in the first.
        int suites = o.parts.contains("ingest") ? o.ingestReplicas.size() : 1;
        for (int k = 0; k < suites; k++) {
            int replicas = o.ingestReplicas.get(k);
            boolean first = k == 0;
            Path home = work.resolve(showReplicas ? "suite-r" + replicas : "suite");
            try (BenchSuite suite = BenchSuite.start(home, repo, Duration.ofSeconds(180), replicas)) {
                console.printf(Locale.ROOT, "suite up: PostgreSQL %s, gRPC %s, REST %s (logs in %s)%n", suite.jdbcUrl(),
                        replicas == 1 ? suite.grpcEndpoint() : replicas + " ingest replicas " + suite.grpcEndpoints(),
                        suite.queryBase(), suite.logs());
                idle.add(new Report.Idle(replicas, ProcStats.statusBytes(suite.ingestPids(), "VmRSS"), idleHeap(suite)));

                if (!warmupRun.isEmpty()) {
                    // Not reported: the services' JIT and connection pools warm up as they would under sustained load.
                    IngestRound.Result w = IngestRound.run(suite, warmupRun, "sb-warmup-s", roundTimeout);
                    console.printf(Locale.ROOT, "  warm-up: %,d points on %d streams in %.2f s (not reported)%n",
                            w.points(), warmupRun.size(), w.indexedSeconds());
                }
                for (Round round : rounds) {
                    int n = round.runs();
                    IngestRound.Result r = IngestRound.run(suite, round.files(), round.prefix(), roundTimeout);
                    ingest.add(r);
                    console.printf(Locale.ROOT, "  ingest %s%s: %,d points in %.2f s (acked after %.2f s)%s: %,.0f points/s%n",
                            showReplicas ? "R=" + replicas + " " : "", round.label(), r.points(), r.indexedSeconds(),
                            r.ackedSeconds(), r.timedOut() ? " TIMED OUT" : "", r.pointsPerSecond());
                    // The same points as N runs, one COPY connection per run, for either layout.
                    CopyCeiling.Result c = CopyCeiling.run(suite.jdbcUrl(), "bench_copy_ceiling", n,
                            round.files().get(0).points() / ScalarRunFiles.TRAINING_TAGS.size(),
                            ScalarRunFiles.TRAINING_TAGS.size());
                    ceiling.add(c);
                    console.printf(Locale.ROOT, "  COPY   %s: %,d rows in %.2f s: %,.0f rows/s%n", round.label(), c.points(),
                            c.seconds(), c.pointsPerSecond());
                }
                if (o.parts.contains("ingest") && replicas >= 2) {
                    ForwardLatency.Result f = ForwardLatency.measure(suite, "sb-forward-r" + replicas, o.forwardWarmup,
                            o.forwardRequests);
                    forward.add(f);
                    console.printf(Locale.ROOT, "  forward probe R=%d: %d round trips per path, p50 %.2f ms direct,"
                            + " %.2f ms forwarded (%d batches forwarded by replica 1, run owned by %s)%n", replicas,
                            f.requests(), f.direct().p50(), f.forwarded().p50(), f.forwardedBatches(), f.owner());
                }

                if (first) {
                    latencies.addAll(readAndSearch(o, suite, readRun, roundTimeout, console));
                }
            } finally {
                if (!o.keep) {
                    ScalarRunFiles.deleteTree(home);
                }
            }
        }
        Report.print(console, ingest, ceiling, idle, showReplicas, latencies, forward);
        Report.writeCsv(out, ingest, ceiling, latencies, forward);
        console.printf(Locale.ROOT, "%nload average at the end: %s%nwrote %s and %s%s%n", ProcStats.loadAverage(),
                out.resolve(Report.INGEST_CSV), out.resolve(Report.LATENCY_CSV),
                forward.isEmpty() ? "" : " and " + out.resolve(Report.FORWARD_CSV));
    }

    /** The read and search parts, as asked for, in the suite given. */
    private static List<LatencyProbe.Latency> readAndSearch(Options o, BenchSuite suite, List<IngestRound.Run> readRun,
                                                            Duration roundTimeout, PrintStream console) throws Exception {
        List<LatencyProbe.Latency> latencies = new ArrayList<>();
        LatencyProbe probe = new LatencyProbe(suite.queryAccessLog());
        if (o.parts.contains("read")) {
            IngestRound.Result r = IngestRound.run(suite, readRun, "sb-read-s", roundTimeout);
            console.printf(Locale.ROOT, "  read series: %,d points uploaded and indexed in %.2f s%n", r.points(),
                    r.indexedSeconds());
            long runId = runId(suite.jdbcUrl(), "sb-read-s0");
            String url = suite.queryBase() + "/api/v1/scalars?run=" + runId + "&tag=loss&maxPoints=1000";
            latencies.add(probe.measure(String.format(Locale.ROOT, "%,d-point series -> 1000 buckets", r.points()),
                    url, o.warmup, o.requests,
                    body -> body.contains("\"totalPoints\":" + r.points()),
                    body -> stepsReturned(body) + " buckets, " + group(CHUNKS_OPENED, body) + " chunks opened"));
        }
        if (o.parts.contains("search")) {
            long t1 = System.nanoTime();
            long experiment = RunSearchFixture.create(suite.jdbcUrl(), "sb-search", o.runs);
            console.printf(Locale.ROOT, "  search fixture: %,d runs with hparams and 2 metric series in %.1f s%n",
                    o.runs, (System.nanoTime() - t1) / 1e9);
            String base = suite.queryBase() + "/api/v1/runs?experiment=" + experiment + "&limit=50";
            String filter = "hparams.lr < 0.01 and metrics.loss@last < 0.5";
            String sort = "-metrics.acc@max";
            latencies.add(probe.measure(String.format(Locale.ROOT, "%,d runs: %s, sort %s", o.runs, filter, sort),
                    base + "&filter=" + enc(filter) + "&sort=" + enc(sort), o.warmup, o.requests,
                    body -> TOTAL.matcher(body).find(), body -> group(TOTAL, body) + " runs match"));
            String filter2 = "hparams.optimizer in (\"adam\", \"adamw\") and hparams.batch_size >= 64"
                    + " and metrics.acc@max > 0.9";
            String sort2 = "metrics.loss@min";
            latencies.add(probe.measure(String.format(Locale.ROOT, "%,d runs: %s, sort %s", o.runs, filter2, sort2),
                    base + "&filter=" + enc(filter2) + "&sort=" + enc(sort2), o.warmup, o.requests,
                    body -> TOTAL.matcher(body).find(), body -> group(TOTAL, body) + " runs match"));
        }
        return latencies;
    }

    /** Heap in use right after start (summed over the ingest replicas); the metrics endpoints may take a moment to answer. */
    private static long idleHeap(BenchSuite suite) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 20; attempt++) {
            long heap = MemorySampler.heapUsed(http,
                    suite.ingestMetricsUrls().stream().map(java.net.URI::create).toList());
            if (heap >= 0) {
                return heap;
            }
            Thread.sleep(250);
        }
        return -1;
    }

    /**
     * One ingest round as prepared: {@code runs} runs, sent by as many uploaders or (a sweep) by
     * one; {@code prefix} starts the name of every experiment it writes and no other's.
     */
    private record Round(int runs, boolean sweep, String prefix, List<IngestRound.Run> files) {

        String label() {
            return sweep ? "sweep N=" + runs + " (1 uploader)" : "N=" + runs + " (" + runs + (runs == 1 ? " uploader)" : " uploaders)");
        }
    }

    private static long runId(String jdbcUrl, String experiment) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT r.id FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE e.name = ?")) {
            ps.setString(1, experiment);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no run in experiment " + experiment);
                }
                return rs.getLong(1);
            }
        }
    }

    private static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : "?";
    }

    private static String stepsReturned(String body) {
        Matcher m = STEPS.matcher(body);
        if (!m.find()) {
            return "?";
        }
        return m.group(1).isBlank() ? "0" : Integer.toString(m.group(1).split(",").length);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The repository root: the surefire-style property, else walk up from the working directory. */
    private static Path repoRoot() {
        String property = System.getProperty("athanor.repo.root");
        if (property != null) {
            return Path.of(property).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("bench").resolve("src"))) {
            dir = dir.getParent();
        }
        return dir != null ? dir : Path.of("").toAbsolutePath();
    }

    private static final class Options {
        Path out;
        Set<String> parts = new LinkedHashSet<>(List.of("ingest", "read", "search"));
        List<Integer> streams = List.of(1, 2, 4);
        List<Integer> sweeps = List.of();
        List<Integer> ingestReplicas = List.of(1);
        int forwardRequests = 300;
        int forwardWarmup = 50;
        long points = 5_000_000;
        long readPoints = 1_000_000;
        long warmupPoints = 1_000_000;
        int runs = 10_000;
        int requests = 300;
        int warmup = 100;
        long roundTimeoutSeconds = 600;
        boolean keep;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--parts" -> o.parts = new LinkedHashSet<>(Arrays.asList(value(args, ++i, a).split(",")));
                    case "--streams" -> o.streams = counts(value(args, ++i, a), a);
                    case "--sweeps" -> o.sweeps = counts(value(args, ++i, a), a);
                    case "--ingest-replicas" -> o.ingestReplicas = Arrays.stream(value(args, ++i, a).split(","))
                            .map(Integer::parseInt).toList();
                    case "--forward-requests" -> o.forwardRequests = Integer.parseInt(value(args, ++i, a));
                    case "--forward-warmup" -> o.forwardWarmup = Integer.parseInt(value(args, ++i, a));
                    case "--points" -> o.points = Long.parseLong(value(args, ++i, a));
                    case "--warmup-points" -> o.warmupPoints = Long.parseLong(value(args, ++i, a));
                    case "--read-points" -> o.readPoints = Long.parseLong(value(args, ++i, a));
                    case "--runs" -> o.runs = Integer.parseInt(value(args, ++i, a));
                    case "--requests" -> o.requests = Integer.parseInt(value(args, ++i, a));
                    case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, a));
                    case "--round-timeout-s" -> o.roundTimeoutSeconds = Long.parseLong(value(args, ++i, a));
                    case "--keep" -> o.keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see the SuiteBench class comment)");
                }
            }
            if (o.ingestReplicas.isEmpty() || o.ingestReplicas.stream().anyMatch(r -> r < 1 || r > 16)) {
                throw new IllegalArgumentException("--ingest-replicas: each count must be 1-16, got " + o.ingestReplicas);
            }
            if (o.forwardRequests < 1 || o.forwardWarmup < 0) {
                throw new IllegalArgumentException("--forward-requests must be at least 1 and --forward-warmup at least 0");
            }
            for (String part : o.parts) {
                if (!Set.of("ingest", "read", "search").contains(part)) {
                    throw new IllegalArgumentException("--parts: unknown part " + part + " (ingest, read, search)");
                }
            }
            return o;
        }

        /** A comma-separated list of run counts, each at least 1; empty for none. */
        private static List<Integer> counts(String list, String option) {
            List<Integer> counts = list.isBlank() ? List.of()
                    : Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
            if (counts.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException(option + ": each run count must be at least 1, got " + list);
            }
            return counts;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
