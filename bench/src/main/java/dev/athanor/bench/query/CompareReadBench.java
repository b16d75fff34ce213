package dev.athanor.bench.query;

import dev.athanor.bench.ScratchIndex;
import dev.athanor.index.write.SubBlocks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import dev.athanor.bench.suite.ProcStats;
import dev.athanor.bench.suite.QueryAccessLog;
import dev.athanor.suite.ServiceProcess;

/**
 * Compare reads (issue 15): one chart of R runs × 1 tag × N points, read from the packaged
 * query-service (its own JVM) over HTTP on loopback, for R = 10, 100, 500:
 * <ul>
 *   <li>{@code width=1000}: pixel columns (M4) in the compact shape, the lines sharing the chart's budget;</li>
 *   <li>{@code maxPoints=1000}: the older per-series buckets, as the web UI asked before.</li>
 * </ul>
 * Each request asks for {@code Accept-Encoding: <--encoding>} (default gzip); the table gives the
 * bytes on the wire (compressed) and uncompressed, client round-trip percentiles, and the
 * service's own percentiles from its access log ({@code %{RESPONSE_TIME_MICROS}}: request arrival
 * to response end, compression included), and the CPU milliseconds per request of the service and
 * of PostgreSQL (from /proc: steady on a shared machine, where wall-clock times follow the load).
 * Writes bench/target/compare-bench.csv. Not a test.
 *
 * <p>Arguments: {@code --service <quarkus-run.jar> [--runs 10,100,500] [--points 10000] [--chunk 1000]
 * [--width 1000] [--x step,wall_time] [--summaries current|v2|v1|none] [--requests 100] [--warmup 20]
 * [--encoding gzip] [--no-baseline]} ({@code --x}: the x axes of the width rows; {@code --summaries}:
 * the chunks' sub-block summaries as the current writer leaves them (step blocks in sub_blocks,
 * wall blocks in wall_blocks), as the 2026-12-06 writer stored them (v2: both in sub_blocks, not yet
 * split by the backfill), as version 1 (written from V1_5_51 until wall blocks: a wall-time chart
 * reads every point, as before them) or none (written before V1_5_51); {@code --no-baseline}: without the maxPoints rows, which take seconds per
 * request at 500 runs). The service's sub-block backfill is off, so the summaries stay as asked.
 */
public final class CompareReadBench {

    private List<Integer> runCounts = List.of(10, 100, 500);
    private int points = 10_000;
    private int chunk = 1_000;
    private int width = 1_000;
    private List<String> axes = List.of("step", "wall_time");
    private String summaries = "current";
    private int requests = 100;
    private int warmup = 20;
    private String encoding = "gzip";
    private boolean baseline = true;
    private Path serviceJar;

    /**
     * @param cpuMs CPU milliseconds per measured request of the service JVM and of PostgreSQL (all
     *              its processes): what a request costs, whatever else the machine is running
     */
    private record Row(String name, int runs, int n, double[] client, double[] service, long wireBytes, long jsonBytes,
                       String contentEncoding, double serviceCpuMs, double postgresCpuMs) {
    }

    private long servicePid;
    private java.util.OptionalLong postmaster = java.util.OptionalLong.empty();

    public static void main(String[] args) throws Exception {
        CompareReadBench bench = new CompareReadBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--service" -> bench.serviceJar = Path.of(args[++i]);
                case "--runs" -> bench.runCounts = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--points" -> bench.points = Integer.parseInt(args[++i]);
                case "--chunk" -> bench.chunk = Integer.parseInt(args[++i]);
                case "--width" -> bench.width = Integer.parseInt(args[++i]);
                case "--x" -> bench.axes = List.of(args[++i].split(","));
                case "--summaries" -> bench.summaries = args[++i];
                case "--requests" -> bench.requests = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                case "--encoding" -> bench.encoding = args[++i];
                case "--no-baseline" -> bench.baseline = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (bench.serviceJar == null || !Files.isRegularFile(bench.serviceJar)) {
            throw new IllegalArgumentException("--service <query-service/target/quarkus-app/quarkus-run.jar> is required");
        }
        bench.run();
    }

    private void run() throws Exception {
        int maxRuns = runCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
        Path target = Path.of("bench", "target");
        Path logs = target.resolve("compare-bench-logs");
        Files.createDirectories(logs);
        Files.deleteIfExists(QueryAccessLog.file(logs));
        try (ScratchIndex index = ScratchIndex.start()) {
            DataSource ds = index.dataSource();
            long t0 = System.nanoTime();
            List<Long> runIds = fill(ds, maxRuns);
            summaries(ds);
            System.out.printf(Locale.ROOT, "filled: %d runs × 1 tag × %,d points in %,d-point chunks (%.1f s)%n",
                    maxRuns, points, chunk, (System.nanoTime() - t0) / 1e9);
            Map<String, String> env = new java.util.HashMap<>(QueryAccessLog.environment(logs));
            env.put("ATHANOR_SCALARS_BACKFILL_ENABLED", "false");
            try (ServiceProcess service = QueryServiceAlone.start(serviceJar, index.jdbcUrl(), env, logs)) {
                servicePid = service.pid();
                try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    postmaster = ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent)
                            .map(h -> java.util.OptionalLong.of(h.pid())).orElse(java.util.OptionalLong.empty());
                }
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Row> rows = new ArrayList<>();
                for (int runs : runCounts) {
                    String ids = runIds.subList(0, runs).stream().map(String::valueOf).collect(Collectors.joining(","));
                    String base = service.httpBase() + "/api/v1/scalars?tag=loss&run=" + ids;
                    for (String x : axes) {
                        rows.add(measure(http, logs, "width=" + width + (x.equals("step") ? "" : " x=" + x) + " (M4, compact)",
                                runs, base + "&width=" + width + "&x=" + x));
                    }
                    if (baseline) {
                        rows.add(measure(http, logs, "maxPoints=1000 (per-series buckets)", runs, base + "&maxPoints=1000"));
                    }
                }
                print(rows);
            }
        }
    }

    /** Leaves the chunks' sub-block summaries as {@code --summaries} asks (see the class comment). */
    private void summaries(DataSource ds) throws Exception {
        if (summaries.equals("current")) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            switch (summaries) {
                case "v2" -> combine(c);
                case "v1" -> c.createStatement().execute("UPDATE scalar_chunk SET wall_blocks = NULL");
                case "none" -> c.createStatement().execute("UPDATE scalar_chunk SET sub_blocks = NULL, wall_blocks = NULL");
                default -> throw new IllegalArgumentException("--summaries must be current, v2, v1 or none: " + summaries);
            }
            c.createStatement().execute("VACUUM ANALYZE");
        }
        System.out.println("sub-block summaries: " + summaries);
    }

    /** Every chunk's two columns as the 2026-12-06 writer stored them: combined in sub_blocks (index-writer's version 2). */
    private static void combine(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT series_id, first_step, sub_blocks, wall_blocks"
                + " FROM scalar_chunk WHERE wall_blocks IS NOT NULL");
             PreparedStatement ps = c.prepareStatement("UPDATE scalar_chunk SET sub_blocks = ?, wall_blocks = NULL"
                     + " WHERE series_id = ? AND first_step = ?")) {
            while (rs.next()) {
                ps.setBytes(1, SubBlocks.combined(new SubBlocks.Summaries(rs.getBytes(3), rs.getBytes(4))));
                ps.setLong(2, rs.getLong(1));
                ps.setLong(3, rs.getLong(2));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<Long> fill(DataSource ds, int runs) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            long experiment;
            try (ResultSet rs = c.createStatement().executeQuery("INSERT INTO experiment (project_id, name) SELECT id,"
                    + " 'bench-compare' FROM project WHERE name = 'default' RETURNING id")) {
                rs.next();
                experiment = rs.getLong(1);
            }
            c.createStatement().execute("INSERT INTO run (experiment_id, path) SELECT " + experiment
                    + ", 'sweep/run-' || lpad(g::text, 4, '0') FROM generate_series(0, " + (runs - 1) + ") g");
            c.createStatement().execute("INSERT INTO series (run_id, tag, plugin, data_class) SELECT id, 'loss', 'scalars', 1"
                    + " FROM run WHERE experiment_id = " + experiment);
            List<long[]> runSeries = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT r.id, s.id FROM run r JOIN series s ON s.run_id = r.id"
                    + " WHERE r.experiment_id = " + experiment + " ORDER BY r.path")) {
                while (rs.next()) {
                    runSeries.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            ScalarFill fill = new ScalarFill(c, runSeries.stream().map(rs -> rs[1]).toList());
            Random random = new Random(15);
            for (long[] rs : runSeries) {
                ids.add(rs[0]);
                // A loss curve per run: its own rate and noise, float32 values as TensorBoard logs them.
                double rate = 500 + random.nextInt(3000);
                double[] values = new double[points];
                for (int i = 0; i < points; i++) {
                    values[i] = (float) (2.0 / (1 + i / rate) + random.nextGaussian() * 0.03);
                }
                fill.series(rs[1], values, chunk);
            }
            fill.flush();
            c.createStatement().execute("VACUUM ANALYZE");
        }
        return ids;
    }

    private Row measure(HttpClient http, Path logs, String name, int runs, String url) throws Exception {
        String phase = (name + "-" + runs).replaceAll("[^A-Za-z0-9]+", "-");
        HttpRequest identity = HttpRequest.newBuilder(URI.create(url + "&benchPhase=plain-" + phase)).build();
        HttpResponse<byte[]> plain = http.send(identity, HttpResponse.BodyHandlers.ofByteArray());
        if (plain.statusCode() != 200) {
            throw new IllegalStateException(name + ": HTTP " + plain.statusCode() + " " + new String(plain.body()));
        }
        HttpRequest warm = HttpRequest.newBuilder(URI.create(url + "&benchPhase=warmup-" + phase))
                .header("Accept-Encoding", encoding).build();
        for (int i = 0; i < warmup; i++) {
            http.send(warm, HttpResponse.BodyHandlers.discarding());
        }
        HttpRequest measured = HttpRequest.newBuilder(URI.create(url + "&benchPhase=" + phase + "&"))
                .header("Accept-Encoding", encoding).build();
        double[] client = new double[requests];
        double serviceCpu = ProcStats.cpuSeconds(servicePid, false);
        double postgresCpu = ProcStats.postgresCpuSeconds(postmaster);
        long wire = 0;
        String contentEncoding = "identity";
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(measured, HttpResponse.BodyHandlers.ofByteArray());
            client[i] = (System.nanoTime() - start) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name + ": HTTP " + r.statusCode());
            }
            wire = r.body().length;
            contentEncoding = r.headers().firstValue("Content-Encoding").orElse("identity");
        }
        serviceCpu = (ProcStats.cpuSeconds(servicePid, false) - serviceCpu) * 1000 / requests;
        postgresCpu = (ProcStats.postgresCpuSeconds(postmaster) - postgresCpu) * 1000 / requests;
        return new Row(name, runs, requests, client, serviceTimes(logs, "benchPhase=" + phase + "& ", requests), wire,
                plain.body().length, contentEncoding, serviceCpu, postgresCpu);
    }

    /** Service times (ms) of one phase from the access log, which is written in the background. */
    private static double[] serviceTimes(Path logs, String marker, int expected) throws Exception {
        Path log = QueryAccessLog.file(logs);
        List<Double> times = new ArrayList<>();
        for (int attempt = 0; attempt < 40 && times.size() < expected; attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 250);
            times.clear();
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(marker)) {
                        times.add(Long.parseLong(line.substring(0, line.indexOf(' '))) / 1000.0);
                    }
                }
            }
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double pct(double[] values, int p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private void print(List<Row> rows) throws Exception {
        System.out.printf(Locale.ROOT, "%n%d points per run, 1 tag, Accept-Encoding: %s; ms; KB = 1000 bytes%n", points, encoding);
        System.out.printf(Locale.ROOT, "%-38s %5s %5s %9s %9s %9s %9s %9s %9s %11s %11s %8s%n", "request", "runs", "n",
                "svc p50", "svc p95", "cli p50", "cli p95", "svc cpu", "pg cpu", "wire KB", "json KB", "encoding");
        StringBuilder csv = new StringBuilder("request,runs,n,service_p50_ms,service_p95_ms,client_p50_ms,client_p95_ms,"
                + "service_cpu_ms,postgres_cpu_ms,wire_bytes,json_bytes,content_encoding,points_per_run\n");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-38s %5d %5d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %11.1f %11.1f %8s%n", r.name(),
                    r.runs(), r.n(), pct(r.service(), 50), pct(r.service(), 95), pct(r.client(), 50), pct(r.client(), 95),
                    r.serviceCpuMs(), r.postgresCpuMs(), r.wireBytes() / 1000.0, r.jsonBytes() / 1000.0, r.contentEncoding());
            csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%s,%d%n", r.name(), r.runs(),
                    r.n(), pct(r.service(), 50), pct(r.service(), 95), pct(r.client(), 50), pct(r.client(), 95),
                    r.serviceCpuMs(), r.postgresCpuMs(), r.wireBytes(), r.jsonBytes(), r.contentEncoding(), points));
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        Path out = Path.of("bench", "target", "compare-bench.csv");
        Files.writeString(out, csv);
        System.out.println("wrote " + out);
    }
}
