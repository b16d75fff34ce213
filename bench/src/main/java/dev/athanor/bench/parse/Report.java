package dev.athanor.bench.parse;

import java.util.List;
import java.util.Locale;

/**
 * The console table and the CSV of a parse benchmark run. MB are 10^6 bytes. The table's main
 * figures are per CPU core (work / CPU time of the process), which stay comparable on a machine
 * shared with other work; the wall-clock median is shown beside them.
 */
final class Report {

    private static final String ROW = "%-21s %-40s %9s %9s %11s %11s %9s%n";

    private Report() {
    }

    static String table(List<Measurement> ours, List<Measurement> server, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "", "", "MB/s per core", "", "events/s per core", "",
                "MB/s wall"));
        out.append(String.format(Locale.ROOT, ROW, "input", "stage (ours: one thread)", "best", "median", "best",
                "median", "median"));
        String lastInput = null;
        for (Measurement m : concat(ours, server)) {
            if (lastInput != null && !lastInput.equals(m.input())) {
                out.append('\n');
            }
            lastInput = m.input();
            Measurement.Rates core = m.hasCpuTime() ? m.perCore() : null;
            Measurement.Rates wall = m.wallClock();
            out.append(String.format(Locale.ROOT, ROW, m.input(), m.stage(),
                    core == null ? "n/a" : mb(core.bestMBps()), core == null ? "n/a" : mb(core.medianMBps()),
                    core == null ? "n/a" : count(core.bestEventsPerSecond()),
                    core == null ? "n/a" : count(core.medianEventsPerSecond()),
                    mb(wall.medianMBps())));
        }
        out.append('\n');
        for (String note : notes) {
            out.append(note).append('\n');
        }
        return out.toString();
    }

    static String csv(List<Measurement> ours, List<Measurement> server) {
        StringBuilder out = new StringBuilder("input,stage,bytes_per_iteration,events_per_iteration,iterations,"
                + "core_best_mb_per_s,core_median_mb_per_s,core_best_events_per_s,core_median_events_per_s,"
                + "wall_best_mb_per_s,wall_median_mb_per_s,wall_best_events_per_s,wall_median_events_per_s,"
                + "wall_best_ms,wall_median_ms\n");
        for (Measurement m : concat(ours, server)) {
            Measurement.Rates core = m.hasCpuTime() ? m.perCore() : new Measurement.Rates(0, 0, 0, 0, 0, 0);
            Measurement.Rates wall = m.wallClock();
            out.append(String.format(Locale.ROOT,
                    "%s,%s,%d,%d,%d,%.2f,%.2f,%.0f,%.0f,%.2f,%.2f,%.0f,%.0f,%.3f,%.3f%n",
                    quote(m.input()), quote(m.stage()), m.bytes(), m.events(), m.wallNanos().length,
                    core.bestMBps(), core.medianMBps(), core.bestEventsPerSecond(), core.medianEventsPerSecond(),
                    wall.bestMBps(), wall.medianMBps(), wall.bestEventsPerSecond(), wall.medianEventsPerSecond(),
                    wall.bestMillis(), wall.medianMillis()));
        }
        return out.toString();
    }

    private static List<Measurement> concat(List<Measurement> ours, List<Measurement> server) {
        // Group by input: ours first, then the data server's row for the same input.
        List<String> inputs = ours.stream().map(Measurement::input).distinct().toList();
        return inputs.stream()
                .flatMap(input -> java.util.stream.Stream.concat(
                        ours.stream().filter(m -> m.input().equals(input)),
                        server.stream().filter(m -> m.input().equals(input))))
                .toList();
    }

    private static String quote(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static String mb(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String count(double perSecond) {
        return perSecond >= 1e6
                ? String.format(Locale.ROOT, "%.2f M", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.0f k", perSecond / 1e3);
    }
}
