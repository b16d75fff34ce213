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
 *   <li><b>ingest</b>: sustained ingest with N concurrent streams (uploader library, once mode,
 *       one logdir and one gRPC stream each), counted when durable in the raw log and indexed in
 *       PostgreSQL; beside each N, the reference ceiling: a plain per-row binary COPY of the same
 *       points into a {@code (series_id, step, wall_time, value)} table in the same PostgreSQL;
 *       ingest-service RSS and heap under that load;</li>
 *   <li><b>read</b>: one 1M-point series, uploaded through the same ingest path (so chunked by the
 *       real indexer), read downsampled to 1,000 buckets;</li>
 *   <li><b>search</b>: run search over 10,000 runs written into the index schema by COPY, with an
 *       hparam filter, a metric filter and a sort by a metric.</li>
 * </ol>
 * Prints tables and writes {@code <out>/suite-bench-ingest.csv} and
 * {@code <out>/suite-bench-latency.csv}. Not a test: nothing asserts a time.
 *
 * <pre>
 * options: --out DIR              generated data, the suite's scratch home and the CSVs (default bench/target)
 *          --parts A,B            subset of ingest,read,search (default all)
 *          --streams 1,2,4        concurrent streams per ingest round
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
        List<List<IngestRound.Stream>> rounds = new ArrayList<>();
        List<IngestRound.Stream> warmupRun = List.of();
        if (o.parts.contains("ingest")) {
            warmupRun = IngestRound.prepare(work.resolve("data").resolve("warmup"), "sb-warmup-s", 2,
                    o.warmupPoints, ScalarRunFiles.TRAINING_TAGS);
            for (int n : o.streams) {
                rounds.add(IngestRound.prepare(work.resolve("data").resolve("n" + n), prefix(n), n, o.points,
                        ScalarRunFiles.TRAINING_TAGS));
            }
        }
        List<IngestRound.Stream> readRun = o.parts.contains("read")
                ? IngestRound.prepare(work.resolve("data").resolve("read"), "sb-read-s", 1, o.readPoints, List.of("loss"))
                : List.of();
        console.printf(Locale.ROOT, "inputs ready in %.1f s under %s%n", (System.nanoTime() - t0) / 1e9,
                work.resolve("data"));

        List<IngestRound.Result> ingest = new ArrayList<>();
        List<CopyCeiling.Result> ceiling = new ArrayList<>();
        List<LatencyProbe.Latency> latencies = new ArrayList<>();
        long idleRss;
        long idleHeap;
        Duration roundTimeout = Duration.ofSeconds(o.roundTimeoutSeconds);
        Path home = work.resolve("suite");
        try (BenchSuite suite = BenchSuite.start(home, repo, Duration.ofSeconds(180))) {
            console.printf(Locale.ROOT, "suite up: PostgreSQL %s, gRPC %s, REST %s (logs in %s)%n", suite.jdbcUrl(),
                    suite.grpcEndpoint(), suite.queryBase(), suite.logs());
            idleRss = ProcStats.statusBytes(suite.ingestPid(), "VmRSS");
            idleHeap = idleHeap(suite);

            if (!warmupRun.isEmpty()) {
                // Not reported: the services' JIT and connection pools warm up as they would under sustained load.
                IngestRound.Result w = IngestRound.run(suite, warmupRun, "sb-warmup-s", roundTimeout);
                console.printf(Locale.ROOT, "  warm-up: %,d points on 2 streams in %.2f s (not reported)%n", w.points(),
                        w.indexedSeconds());
            }
            for (int i = 0; i < rounds.size(); i++) {
                int n = o.streams.get(i);
                IngestRound.Result r = IngestRound.run(suite, rounds.get(i), prefix(n), roundTimeout);
                ingest.add(r);
                console.printf(Locale.ROOT, "  ingest N=%d: %,d points in %.2f s (acked after %.2f s)%s: %,.0f points/s%n",
                        n, r.points(), r.indexedSeconds(), r.ackedSeconds(), r.timedOut() ? " TIMED OUT" : "",
                        r.pointsPerSecond());
                CopyCeiling.Result c = CopyCeiling.run(suite.jdbcUrl(), "bench_copy_ceiling", n,
                        rounds.get(i).get(0).points() / ScalarRunFiles.TRAINING_TAGS.size(),
                        ScalarRunFiles.TRAINING_TAGS.size());
                ceiling.add(c);
                console.printf(Locale.ROOT, "  COPY   N=%d: %,d rows in %.2f s: %,.0f rows/s%n", n, c.points(),
                        c.seconds(), c.pointsPerSecond());
            }

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
        } finally {
            if (!o.keep) {
                ScalarRunFiles.deleteTree(home);
            }
        }
        Report.print(console, ingest, ceiling, idleRss, idleHeap, latencies);
        Report.writeCsv(out, ingest, ceiling, latencies);
        console.printf(Locale.ROOT, "%nload average at the end: %s%nwrote %s and %s%n", ProcStats.loadAverage(),
                out.resolve(Report.INGEST_CSV), out.resolve(Report.LATENCY_CSV));
    }

    /** Heap in use right after start; the metrics endpoint may take a moment to answer. */
    private static long idleHeap(BenchSuite suite) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 20; attempt++) {
            long heap = MemorySampler.heapUsed(http, java.net.URI.create(suite.ingestMetricsUrl()));
            if (heap >= 0) {
                return heap;
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private static String prefix(int n) {
        return "sb-ingest-n" + n + "-s";
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
                    case "--streams" -> o.streams = Arrays.stream(value(args, ++i, a).split(","))
                            .map(Integer::parseInt).toList();
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
            for (String part : o.parts) {
                if (!Set.of("ingest", "read", "search").contains(part)) {
                    throw new IllegalArgumentException("--parts: unknown part " + part + " (ingest, read, search)");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
