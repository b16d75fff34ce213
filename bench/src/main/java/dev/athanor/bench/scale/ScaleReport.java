package dev.athanor.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 15's goals table filled from the CSVs the existing benchmarks wrote: one row per figure
 * with its goal and floor, printed and written as {@code scale-bench.csv}. Runs after
 * {@code bench/run-scale-bench.sh} ran the parts (this class measures nothing itself). A part that
 * did not run (or failed) leaves its rows "not measured"; a figure measured at a smaller size than
 * the goal names is marked "reduced size", so a quick run never reads as a goal met.
 *
 * <p>Inputs, all in the directory given as the first argument (the script copies them there):
 * {@code live-runs-bench.csv} (LiveRunsBench), {@code suite-bench-ingest.csv} (SuiteBench's ingest
 * part), {@code compare-bench.csv} (CompareReadBench), {@code query-bench-<runs>.csv} (QueryBench, one
 * per search size), {@code inspect-bench.csv} (InspectBench). Writes {@code <dir>/scale-bench.csv}.
 */
public final class ScaleReport {

    static final String OUTPUT = "scale-bench.csv";
    private static final double MIB = 1024.0 * 1024.0;
    private static final int FULL_LIVE_RUNS = 10_000;
    private static final int FULL_COMPARE_POINTS = 10_000;
    private static final int COMPARE_WIDTH = 1_000;
    private static final int FULL_SEARCH_RUNS = 100_000;
    private static final long FULL_INSPECT_EVENTS = 10_000_000;

    private ScaleReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ScaleReport <directory of the parts' CSVs>");
        }
        Path dir = Path.of(args[0]);
        List<Figure> figures = figures(dir);
        print(System.out, figures);
        Path out = dir.resolve(OUTPUT);
        Files.writeString(out, csv(figures));
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** Every figure of the goals table, from whatever CSVs the directory holds. */
    static List<Figure> figures(Path dir) throws IOException {
        List<Figure> figures = new ArrayList<>();
        liveRuns(Csv.read(dir.resolve("live-runs-bench.csv")), figures);
        ingest(Csv.read(dir.resolve("suite-bench-ingest.csv")), figures);
        compare(Csv.read(dir.resolve("compare-bench.csv")), figures);
        List<Csv> searches = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches("query-bench-\\d+\\.csv")).sorted(
                    (a, b) -> Long.compare(runsOf(a), runsOf(b))).forEach(p -> searches.add(Csv.read(p)));
        } catch (java.nio.file.NoSuchFileException none) {
            // no part ran
        }
        search(searches, figures);
        inspect(Csv.read(dir.resolve("inspect-bench.csv")), figures);
        return figures;
    }

    /** Whole-process wall clock, data server / athanor inspect: above 1 is inspect faster. */
    private static void inspect(Csv csv, List<Figure> out) {
        String figure = "athanor inspect vs TensorBoard data server";
        Goal goal = Goal.atLeast(2, 1);
        if (csv.rows().isEmpty()) {
            out.add(Figure.missing(figure, "", "x faster", goal, "part not run"));
            return;
        }
        Csv.Row r = csv.rows().get(csv.rows().size() - 1);
        String setting = String.format(Locale.ROOT, "%.0f MB, %,d events, %d runs", r.value("bytes") / 1e6,
                r.longValue("events"), r.longValue("runs"));
        boolean full = r.longValue("events") >= FULL_INSPECT_EVENTS;
        out.add(new Figure(figure, setting, r.value("speedup_wall"), "x faster", goal, full, String.format(Locale.ROOT,
                "medians of %d, wall: inspect %.2f s, data server %.2f s; CPU: %.2f s vs %.2f s (%.2fx); load %s",
                r.longValue("repetitions"), r.value("inspect_wall_s"), r.value("server_wall_s"), r.value("inspect_cpu_s"),
                r.value("server_cpu_s"), r.value("speedup_cpu"), r.text("load_average"))));
    }

    private static long runsOf(Path queryCsv) {
        String name = queryCsv.getFileName().toString();
        return Long.parseLong(name.substring("query-bench-".length(), name.length() - ".csv".length()));
    }

    private static void liveRuns(Csv csv, List<Figure> out) {
        Goal count = Goal.atLeast(FULL_LIVE_RUNS, FULL_LIVE_RUNS);
        Goal heap = Goal.atMost(1024, Double.NaN);
        if (csv.rows().isEmpty()) {
            out.add(Figure.missing("live runs held (committed and indexed)", "", "runs", count, "part not run"));
            out.add(Figure.missing("  heap in use, peak", "", "MiB", heap, "part not run"));
            return;
        }
        Csv.Row r = csv.rows().get(csv.rows().size() - 1);
        long runs = r.longValue("runs");
        boolean full = runs >= FULL_LIVE_RUNS;
        String setting = String.format(Locale.ROOT, "%,d runs, %d streams, file bound %d", runs, r.longValue("streams"),
                r.longValue("run_log_file_bound"));
        out.add(new Figure("live runs held (committed and indexed)", setting,
                Math.min(r.value("runs_committed"), r.value("runs_indexed")), "runs", count, full, ""));
        out.add(new Figure("  open fds of ingest: before / peak / idle", setting, r.value("fds_peak"), "fds",
                Goal.atMost(r.value("run_log_file_bound") + r.value("fds_before") + 64, Double.NaN), full,
                String.format(Locale.ROOT, "%d / %d / %d; goal: bounded (file bound + idle + 64)", r.longValue("fds_before"),
                        r.longValue("fds_peak"), r.longValue("fds_idle_after"))));
        out.add(new Figure("  RSS of ingest, peak", setting, r.value("rss_peak_bytes") / MIB, "MiB", Goal.none(), full,
                String.format(Locale.ROOT, "end %.0f MiB", r.value("rss_end_bytes") / MIB)));
        out.add(new Figure("  heap in use, peak", setting, r.value("heap_peak_bytes") / MIB, "MiB", heap, full,
                String.format(Locale.ROOT, "after a full GC %.0f MiB", r.value("heap_after_gc_bytes") / MIB)));
    }

    /**
     * The ingest rows: 1 run, 4 streams (4 uploaders), the 100-run sweep as the issue defines it
     * (one uploader over one logdir of 100 runs) and 100 streams of one run each (100 uploaders:
     * 100 training pods, no goal of its own). A CSV from before sweeps were measured has no
     * {@code runs} column: there every round had one uploader per run.
     */
    private static void ingest(Csv csv, List<Figure> out) {
        record Kind(int runs, int uploaders, String figure, Goal goal) {
        }
        List<Kind> kinds = List.of(
                new Kind(1, 1, "ingest, 1-run sweep, durable + indexed", Goal.none()),
                new Kind(4, 4, "ingest, 4 streams, durable + indexed", Goal.atLeast(1_500_000, 1_000_000)),
                new Kind(100, 1, "ingest, 100-run sweep (1 uploader), durable + indexed", Goal.atLeast(1_500_000, 800_000)),
                new Kind(100, 100, "ingest, 100 streams, 100 uploaders (no goal of its own)", Goal.none()));
        for (Kind kind : kinds) {
            Csv.Row r = csv.rows().stream().filter(row -> runs(row) == kind.runs() && row.longValue("streams") == kind.uploaders())
                    .reduce((a, b) -> b).orElse(null);
            if (r == null) {
                out.add(Figure.missing(kind.figure(), "", "points/s", kind.goal(), "part not run"));
                out.add(Figure.missing("  per-row COPY of the same points", "", "rows/s", Goal.none(), "part not run"));
                continue;
            }
            String setting = String.format(Locale.ROOT, "%,d points over %d run%s, %d uploader%s", r.longValue("points"),
                    kind.runs(), kind.runs() == 1 ? "" : "s", kind.uploaders(), kind.uploaders() == 1 ? "" : "s");
            // The goals were set for sweeps of millions of points; a smaller round is dominated by start-up.
            boolean full = r.longValue("points") >= 2_000_000;
            String cpu = String.format(Locale.ROOT, "CPU s: ingest %.1f, PostgreSQL %.1f, uploader%s %.1f; load %s",
                    r.value("cpu_ingest_s"), r.value("cpu_postgres_s"), kind.uploaders() == 1 ? "" : "s",
                    r.value("cpu_uploaders_s"), r.text("load_avg"));
            out.add(new Figure(kind.figure(), setting, r.value("points_per_s"), "points/s", kind.goal(), full,
                    r.text("timed_out").equals("true") ? "TIMED OUT; " + cpu : cpu));
            out.add(new Figure("  per-row COPY of the same points", setting, r.value("copy_ceiling_rows_per_s"), "rows/s",
                    Goal.none(), full, String.format(Locale.ROOT, "ingest / COPY = %.2fx; one COPY connection per run",
                    r.value("points_per_s") / r.value("copy_ceiling_rows_per_s"))));
        }
    }

    /** Runs of an ingest round (older CSVs: as many as streams). */
    private static long runs(Csv.Row row) {
        return row.fields().containsKey("runs") ? row.longValue("runs") : row.longValue("streams");
    }

    private static void compare(Csv csv, List<Figure> out) {
        for (int runs : List.of(10, 100, 500)) {
            // One row per x axis the bench measured (by step, and by wall time where it ran), each under the chart's goal.
            List<Csv.Row> rows = csv.rows().stream().filter(row -> row.text("request").startsWith("width=")
                    && row.longValue("runs") == runs).toList();
            Goal time = switch (runs) {
                case 100 -> Goal.atMost(50, 100);
                case 500 -> Goal.atMost(200, 400);
                default -> Goal.none();
            };
            Goal wire = runs == 100 ? Goal.atMost(500, 1500) : Goal.none();
            if (rows.isEmpty()) {
                String figure = String.format(Locale.ROOT, "chart of %d runs x 1 tag, width=%d: service p95", runs, COMPARE_WIDTH);
                out.add(Figure.missing(figure, "", "ms", time, "part not run"));
                out.add(Figure.missing("  bytes on the wire", "", "KB", wire, "part not run"));
                continue;
            }
            for (Csv.Row r : rows) {
                String axis = r.text("request").contains("x=wall_time") ? " by wall time" : "";
                String figure = String.format(Locale.ROOT, "chart of %d runs x 1 tag%s, width=%d: service p95", runs, axis,
                        COMPARE_WIDTH);
                long points = r.longValue("points_per_run");
                boolean full = points >= FULL_COMPARE_POINTS && r.text("request").startsWith("width=" + COMPARE_WIDTH + " ");
                String setting = String.format(Locale.ROOT, "%d runs x %,d points, %s", runs, points,
                        r.text("request").split(" ")[0]);
                out.add(new Figure(figure, setting, r.value("service_p95_ms"), "ms", time, full,
                        String.format(Locale.ROOT, "p50 %.1f ms; client p95 %.1f ms; CPU/request: service %.0f ms, PostgreSQL %.0f ms",
                                r.value("service_p50_ms"), r.value("client_p95_ms"), r.value("service_cpu_ms"),
                                r.value("postgres_cpu_ms"))));
                out.add(new Figure("  bytes on the wire", setting, r.value("wire_bytes") / 1000.0, "KB", wire, full,
                        String.format(Locale.ROOT, "%s; %.0f KB of JSON", r.text("content_encoding"), r.value("json_bytes") / 1000.0)));
            }
        }
    }

    private static void search(List<Csv> searches, List<Figure> out) {
        Goal filter = Goal.atMost(50, 100);
        Goal page = Goal.atMost(50, Double.NaN);
        if (searches.isEmpty()) {
            out.add(Figure.missing("search: hparam filter + metric sort, p95", "", "ms", filter, "part not run"));
            out.add(Figure.missing("search: a page of runs, p95", "", "ms", page, "part not run"));
            return;
        }
        for (Csv csv : searches) {
            for (Csv.Row r : csv.rows()) {
                String query = r.text("query");
                long runs = r.longValue("runs");
                boolean full = runs >= FULL_SEARCH_RUNS;
                String setting = String.format(Locale.ROOT, "%,d runs", runs);
                String note = String.format(Locale.ROOT, "client p50 %.1f ms; service mean %.1f ms",
                        r.value("p50_ms"), r.value("server_mean_ms"));
                if (query.contains("hparam filter + sort by metric")) {
                    out.add(new Figure("search: hparam filter + metric sort, p95", setting, r.value("p95_ms"), "ms",
                            filter, full, note));
                } else if (query.contains("page ")) {
                    // Each way of paging is its own row (offset or cursor, by a metric or by name): the paging goal is about all of them.
                    out.add(new Figure("search: " + query.substring(query.indexOf("runs: ") + 6) + ", p95", setting,
                            r.value("p95_ms"), "ms", page, full, note));
                }
            }
        }
    }

    static void print(PrintStream out, List<Figure> figures) {
        out.printf(Locale.ROOT, "%nIssue 15 scale goals (\"reduced size\": measured smaller than the goal names; not a verdict on the goal)%n");
        String format = "%-66s %-40s %14s %-9s %11s %11s  %-27s %s%n";
        out.printf(Locale.ROOT, format, "figure", "setting", "measured", "unit", "goal", "floor", "verdict", "notes");
        for (Figure f : figures) {
            out.printf(Locale.ROOT, format, f.figure(), f.setting(), f.measuredText(), f.unit(), f.goal().goalText(),
                    f.goal().floorText(), f.verdict(), f.note());
        }
    }

    static String csv(List<Figure> figures) {
        StringBuilder csv = new StringBuilder("figure,setting,measured,unit,goal,floor,verdict,notes\n");
        for (Figure f : figures) {
            csv.append(String.join(",", Csv.quote(f.figure().strip()), Csv.quote(f.setting()),
                    Double.isNaN(f.measured()) ? "" : String.format(Locale.ROOT, "%.3f", f.measured()), Csv.quote(f.unit()),
                    Csv.quote(f.goal().goalText()), Csv.quote(f.goal().floorText()), Csv.quote(f.verdict()),
                    Csv.quote(f.note()))).append('\n');
        }
        return csv.toString();
    }
}
