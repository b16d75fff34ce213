package dev.athanor.bench.query;

import dev.athanor.bench.ScratchIndex;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;
import dev.athanor.index.write.IndexWriter;
import dev.athanor.suite.ServiceProcess;
import dev.athanor.index.write.SeriesRows;
import org.postgresql.PGConnection;

/**
 * Read latency of query-service, measured over HTTP against the packaged service (its own JVM)
 * on an embedded PostgreSQL 17 filled by COPY:
 * <ul>
 *   <li>one scalar series of 1,000,000 points (chunks of {@code --chunk} points with roll-ups)
 *       read to 1,000 buckets (goal p95 ≤ 20 ms), zoomed, and over wall time;</li>
 *   <li>run search over 10,000 runs: an hparam filter and a sort by a metric (goal p95 ≤ 100 ms).</li>
 * </ul>
 * Prints a table and writes bench/target/query-bench.csv. Not a test: nothing asserts a time.
 *
 * <p>Arguments: {@code --service <quarkus-run.jar> [--points N] [--chunk N] [--runs N] [--requests N] [--explain]}.
 * {@code --explain}: after the timings, each query is sent once more with PostgreSQL's auto_explain
 * logging {@code EXPLAIN (ANALYZE, BUFFERS)} of every statement the service runs (its exact SQL and
 * plan, with PostgreSQL's own execution time) into bench/target/query-bench-postgres.log.
 */
public final class QueryBench {

    private int points = 1_000_000;
    private int chunk = 1_000;
    private int runs = 10_000;
    private int requests = 300;
    private Path serviceJar;
    private boolean explain;
    private Path baseline;

    private static final String USAGE = """
            QueryBench --service <quarkus-run.jar> [--points N] [--chunk N] [--runs N] [--requests N] [--explain]
              --points N    points of the scalar series (default 1000000)
              --chunk N     points per chunk (default 1000)
              --runs N      runs to search (default 10000)
              --requests N  timed requests per query (default 300)
              --baseline J  also measure another build's quarkus-run.jar, alternating with --service
                            (new, baseline, new, baseline) on the same index; the baseline does not migrate
              --explain     then log EXPLAIN (ANALYZE, BUFFERS) of the service's statements for each query
                            (auto_explain) into bench/target/query-bench-postgres.log""";

    /** Client-side percentiles over HTTP, and the mean the service itself measured (Micrometer). */
    private record Result(String name, int n, double p50, double p95, double p99, double max, double serverMean, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        QueryBench bench = new QueryBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--service" -> bench.serviceJar = Path.of(args[++i]);
                case "--points" -> bench.points = Integer.parseInt(args[++i]);
                case "--chunk" -> bench.chunk = Integer.parseInt(args[++i]);
                case "--runs" -> bench.runs = Integer.parseInt(args[++i]);
                case "--requests" -> bench.requests = Integer.parseInt(args[++i]);
                case "--explain" -> bench.explain = true;
                case "--baseline" -> bench.baseline = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (bench.serviceJar == null || !Files.isRegularFile(bench.serviceJar)) {
            throw new IllegalArgumentException("--service <query-service/target/quarkus-app/quarkus-run.jar> is required");
        }
        bench.run();
    }

    private void run() throws Exception {
        Path pgLog = Path.of("bench", "target", "query-bench-postgres.log").toAbsolutePath();
        Map<String, String> serverConfig = new LinkedHashMap<>();
        if (explain) {
            Files.deleteIfExists(pgLog);
            // auto_explain.log_min_duration stays at its default (-1, off) here: a setting given on
            // the command line would override the ALTER SYSTEM that switches it on later.
            serverConfig.put("shared_preload_libraries", "auto_explain");
            serverConfig.put("logging_collector", "on");
            serverConfig.put("log_directory", pgLog.getParent().toString());
            serverConfig.put("log_filename", pgLog.getFileName().toString());
        }
        try (ScratchIndex index = ScratchIndex.start(serverConfig)) {
            DataSource ds = index.dataSource();
            long t0 = System.nanoTime();
            long scalarRun = fillScalars(ds);
            long t1 = System.nanoTime();
            long searchExperiment = fillRuns(ds);
            long t2 = System.nanoTime();
            try (Connection c = ds.getConnection()) {
                c.createStatement().execute("VACUUM ANALYZE");
            }
            System.out.printf(Locale.ROOT, "filled: %,d points in %,d-point chunks (%.1f s), %,d runs (%.1f s)%n",
                    points, chunk, (t1 - t0) / 1e9, runs, (t2 - t1) / 1e9);
            // The service under test and, with --baseline, another build alternating with it on the same
            // index (new, old, new, old): the same load for both. The baseline does not migrate: the
            // index already has this build's schema.
            List<String> labels = baseline == null ? List.of("") : List.of(" [new]", " [baseline]", " [new]", " [baseline]");
            for (int round = 0; round < labels.size(); round++) {
                boolean isBaseline = labels.get(round).equals(" [baseline]");
                Map<String, String> env = isBaseline ? Map.of("QUARKUS_FLYWAY_MIGRATE_AT_START", "false") : Map.of();
                try (ServiceProcess service = QueryServiceAlone.start(isBaseline ? baseline : serviceJar, index.jdbcUrl(),
                        env, Path.of("bench", "target", "query-bench-logs"))) {
                    measureAll(service.httpBase(), scalarRun, searchExperiment, labels.get(round), ds, pgLog,
                            explain && round < 2);
                }
            }
        }
    }

    private void measureAll(String base, long scalarRun, long searchExperiment, String label, DataSource ds, Path pgLog,
                            boolean explainHere) throws Exception {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String scalars = base + "/api/v1/scalars?run=" + scalarRun + "&tag=loss&maxPoints=1000";
                String search = base + "/api/v1/runs?experiment=" + searchExperiment + "&limit=50&filter="
                        + enc("hparams.lr < 0.005 and hparams.optimizer = \"adam\"") + "&sort=" + enc("-metrics.val_accuracy@last");
                String search2 = base + "/api/v1/runs?experiment=" + searchExperiment + "&limit=50&filter="
                        + enc("metrics.val_accuracy@max > 0.9 and hparams.batch in (32, 64)") + "&sort=" + enc("hparams.lr");
                String sorted = base + "/api/v1/runs?experiment=" + searchExperiment + "&limit=100&sort="
                        + enc("-metrics.val_accuracy@last") + "&columns=" + enc("hparams.lr,metrics.val_accuracy@max");
                String page = sorted + "&offset=5000";
                String byName = base + "/api/v1/runs?experiment=" + searchExperiment + "&limit=100";
                Map<String, String> queries = new LinkedHashMap<>();
                queries.put("1M-point series -> 1000 buckets (step)", scalars);
                queries.put("1M-point series -> 1000 buckets (wall_time)", scalars + "&x=wall_time");
                queries.put("zoom steps 400000..600000 -> 1000 buckets", scalars + "&stepMin=400000&stepMax=600000");
                queries.put("zoom 1000 steps (every point)", scalars + "&stepMin=500000&stepMax=500999");
                queries.put(runs + " runs: hparam filter + sort by metric", search);
                queries.put(runs + " runs: metric filter + sort by hparam", search2);
                queries.put(runs + " runs: page 51 sorted by metric, 2 columns", page);
                // Keyset pages (a build that pages by cursor answers "next"; an older one is skipped).
                String cursor = cursorOfPage(http, sorted, 51);
                if (cursor != null) {
                    queries.put(runs + " runs: page 51 by cursor, metric sort, 2 columns", sorted + "&cursor=" + cursor);
                    String nameCursor = cursorOfPage(http, byName, 51);
                    queries.put(runs + " runs: page 1 by name (counted)", byName);
                    queries.put(runs + " runs: page 51 by cursor, by name", byName + "&cursor=" + nameCursor);
                    String filtered = cursorOfPage(http, search, 2);
                    queries.put(runs + " runs: hparam filter + metric sort, page 2 by cursor", search + "&cursor=" + filtered);
                }
                // Warm-up of the whole service first (JIT, pool, plan and buffer caches), round-robin.
                for (int round = 0; round < Math.max(30, requests / 3); round++) {
                    for (String url : queries.values()) {
                        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
                    }
                }
                List<Result> results = new ArrayList<>();
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    results.add(measure(http, q.getKey() + label, q.getValue()));
                }
                print(results);
                if (explainHere) {
                    explain(ds, http, queries, pgLog, label);
                }
    }

    /** The cursor that starts page {@code n} (following "next" from the first page), or null when the service answers no cursor. */
    private static String cursorOfPage(HttpClient http, String url, int n) throws Exception {
        String cursor = null;
        for (int i = 1; i < n; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(url + (cursor == null ? "" : "&cursor=" + cursor)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"next\":\"([A-Za-z0-9_-]+)\"").matcher(body);
            if (!m.find()) {
                return null;
            }
            cursor = m.group(1);
        }
        return cursor;
    }

    /** Sends each query once with auto_explain on: the service's statements and their analyzed plans land in the log. */
    private static void explain(DataSource ds, HttpClient http, Map<String, String> queries, Path pgLog, String label)
            throws Exception {
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("ALTER SYSTEM SET auto_explain.log_analyze = on");
            c.createStatement().execute("ALTER SYSTEM SET auto_explain.log_buffers = on");
            c.createStatement().execute("ALTER SYSTEM SET auto_explain.log_min_duration = 0");
            c.createStatement().execute("SELECT pg_reload_conf()");
            Thread.sleep(500);
            for (Map.Entry<String, String> q : queries.entrySet()) {
                c.createStatement().execute("DO $$ BEGIN RAISE LOG 'QueryBench explain: %', "
                        + "'" + (q.getKey() + label).replace("'", "''") + "'; END $$");
                http.send(HttpRequest.newBuilder(URI.create(q.getValue())).build(), HttpResponse.BodyHandlers.discarding());
            }
            c.createStatement().execute("ALTER SYSTEM SET auto_explain.log_min_duration = -1");
            c.createStatement().execute("SELECT pg_reload_conf()");
        }
        System.out.println("plans (auto_explain, ANALYZE, BUFFERS) of each query's statements: " + pgLog);
    }

    private long fillScalars(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            long experiment = id(c, "INSERT INTO experiment (project_id, name) SELECT id, 'bench-scalars' FROM project"
                    + " WHERE name = 'default' RETURNING id");
            long run = id(c, "INSERT INTO run (experiment_id, path) VALUES (" + experiment + ", 'train') RETURNING id");
            long series = new IndexWriter(c).series(run, new SeriesRows.NewSeries("loss", "scalars", SeriesRows.SCALAR,
                    null, false));
            Random random = new Random(1);
            double[] values = new double[points];
            for (int i = 0; i < points; i++) {
                values[i] = 2.0 / (1 + i / 20_000.0) + random.nextGaussian() * 0.02 + (i % 99_991 == 0 ? 5 : 0);
            }
            ScalarFill fill = new ScalarFill(c, List.of(series));
            fill.series(series, values, chunk);
            fill.flush();
            return run;
        }
    }



    private long fillRuns(DataSource ds) throws SQLException, IOException {
        try (Connection c = ds.getConnection()) {
            long experiment = id(c, "INSERT INTO experiment (project_id, name) SELECT id, 'bench-search' FROM project"
                    + " WHERE name = 'default' RETURNING id");
            Random random = new Random(2);
            StringBuilder runRows = new StringBuilder();
            String[] optimizers = {"adam", "sgd", "adamw", "rmsprop"};
            int[] batches = {16, 32, 64, 128};
            for (int i = 0; i < runs; i++) {
                double lr = Math.pow(10, -1 - 3 * random.nextDouble());
                runRows.append(experiment).append("\trun-").append(i).append("\tFINISHED\t{\"lr\": ").append(lr)
                        .append(", \"batch\": ").append(batches[random.nextInt(4)]).append(", \"optimizer\": \"")
                        .append(optimizers[random.nextInt(4)]).append("\", \"seed\": ").append(i).append("}\n");
            }
            PGConnection pgc = c.unwrap(PGConnection.class);
            pgc.getCopyAPI().copyIn("COPY run (experiment_id, path, status, hparams) FROM STDIN", new StringReader(runRows.toString()));
            // One val_accuracy series per run with ten points in one chunk, all written by the index
            // writer ingest uses (IndexWriter: the series row, then its chunk and roll-ups). Run rows
            // have no writer outside ingest-service (CatalogStore creates them, IndexTables sets their
            // hparams), so they are copied in with the same columns.
            List<Long> runIds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM run WHERE experiment_id = ? ORDER BY id")) {
                ps.setLong(1, experiment);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runIds.add(rs.getLong(1));
                    }
                }
            }
            c.setAutoCommit(false); // one transaction: a commit per series would be most of the fill
            IndexWriter writer = new IndexWriter(c);
            List<Long> seriesIds = new ArrayList<>();
            for (long runId : runIds) {
                seriesIds.add(writer.series(runId, new SeriesRows.NewSeries("val_accuracy", "scalars", SeriesRows.SCALAR,
                        null, false)));
            }
            long[] steps = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            double[] walls = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            for (long seriesId : seriesIds) {
                double[] v = new double[10];
                for (int k = 0; k < 10; k++) {
                    v[k] = Math.min(0.999, 0.5 + k * 0.04 + random.nextDouble() * 0.1);
                }
                writer.scalars(seriesId, steps, walls, v, 10);
            }
            writer.flush();
            c.commit();
            return experiment;
        }
    }

    private static long id(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Result measure(HttpClient http, String name, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        long bytes = 0;
        // A short warm-up of this query on its own (the service as a whole is warm already).
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name + ": HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
            bytes = r.body().length;
        }
        String uri = URI.create(url).getPath();
        double[] before = serverTime(http, url, uri);
        double[] ms = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name + ": HTTP " + r.statusCode());
            }
        }
        double[] after = serverTime(http, url, uri);
        double serverMean = (after[0] - before[0]) / Math.max(1, after[1] - before[1]) * 1000;
        Arrays.sort(ms);
        return new Result(name, requests, pct(ms, 50), pct(ms, 95), pct(ms, 99), ms[ms.length - 1], serverMean, bytes);
    }

    /** The service's own http_server_requests_seconds sum and count for one URI template. */
    private static double[] serverTime(HttpClient http, String url, String uri) throws Exception {
        URI metrics = URI.create(url).resolve("/q/metrics");
        String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        double count = 0;
        for (String line : body.split("\n")) {
            if (!line.contains("uri=\"" + uri + "\"") || !line.contains("status=\"200\"")) {
                continue;
            }
            String value = line.substring(line.lastIndexOf(' ') + 1);
            if (line.startsWith("http_server_requests_seconds_sum")) {
                sum += Double.parseDouble(value);
            } else if (line.startsWith("http_server_requests_seconds_count")) {
                count += Double.parseDouble(value);
            }
        }
        return new double[] {sum, count};
    }

    private static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void print(List<Result> results) throws IOException {
        System.out.printf(Locale.ROOT, "%n%-48s %6s %9s %9s %9s %9s %12s %10s%n", "query (HTTP, sequential, loopback)", "n",
                "p50 ms", "p95 ms", "p99 ms", "max ms", "server mean", "bytes");
        StringBuilder csv = new StringBuilder("query,n,p50_ms,p95_ms,p99_ms,max_ms,server_mean_ms,response_bytes,points,chunk,runs\n");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-48s %6d %9.2f %9.2f %9.2f %9.2f %12.2f %10d%n", r.name(), r.n(), r.p50(),
                    r.p95(), r.p99(), r.max(), r.serverMean(), r.bytes());
            csv.append(String.format(Locale.ROOT, "\"%s\",%d,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%d,%d%n", r.name(), r.n(),
                    r.p50(), r.p95(), r.p99(), r.max(), r.serverMean(), r.bytes(), points, chunk, runs));
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n",
                Files.readString(Path.of("/proc/loadavg")).trim());
        Path out = Path.of("bench", "target", "query-bench.csv");
        Files.writeString(out, csv);
        System.out.println("\nwrote " + out);
    }
}
