package dev.athanor.bench.parse;

import dev.athanor.bench.suite.ScalarRunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Issue 15's inspect figure: the whole {@code athanor inspect LOGDIR} process, as a user runs it
 * (the {@code athanor} script at the repository root, JVM start-up included), against TensorBoard's
 * data server loading the same files ({@code --reload once --checksum}, from process start to its
 * "Finished load cycle" line). The logdir holds runs written by the project's event writer
 * ({@link ScalarRunFiles}: TF2-style scalars, 4 tags taking turns), made once and reused.
 *
 * <p>Each repetition runs both, alternating, after one unmeasured warm-up of each (page cache).
 * Wall clock and CPU (user + system of the process and its children) are recorded; medians are
 * printed and written as {@code inspect-bench.csv}.
 */
public final class InspectBench {

    private static final long SCALAR_TAGS = ScalarRunFiles.TRAINING_TAGS.size();

    private InspectBench() {
    }

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(System.getProperty("athanor.repo.root", ".")).toAbsolutePath();
        Path logdir = repoRoot.resolve("bench/target/inspect-logdir");
        Path out = repoRoot.resolve("bench/target/inspect-bench.csv");
        int runs = 20;
        long events = 10_000_000;
        int repetitions = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--logdir" -> logdir = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--repetitions" -> repetitions = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("InspectBench: unknown option " + args[i]
                        + " (--logdir DIR --runs N --events N --repetitions N --out CSV)");
            }
        }
        long steps = events / runs / SCALAR_TAGS;
        long written = steps * runs * SCALAR_TAGS;
        System.out.printf(Locale.ROOT, "inspect bench: %d runs x %d steps x %d tags = %,d events in %s%n",
                runs, steps, SCALAR_TAGS, written, logdir);
        for (int r = 0; r < runs; r++) {
            ScalarRunFiles.ensure(logdir.resolve("run-" + r), ScalarRunFiles.TRAINING_TAGS, steps);
        }
        long bytes = eventBytes(logdir);
        System.out.printf(Locale.ROOT, "logdir: %,d bytes of event files (%.0f MB)%n", bytes, bytes / 1e6);

        Path athanor = repoRoot.resolve("athanor");
        Optional<Path> server = DataServerRun.locate(repoRoot);
        if (server.isEmpty()) {
            System.out.println("TensorBoard data server not found (set " + DataServerRun.ENV
                    + " to its server binary): timing athanor inspect only");
        }
        String expectedSummary = String.format(Locale.ROOT, "%d runs, %d tags, %d values in %d records",
                runs, runs * SCALAR_TAGS, written, written + runs); // + one file_version record per file
        // Warm-up: page cache, the launcher's build check, the data server binary.
        InspectRun.once(athanor, logdir, expectedSummary);
        if (server.isPresent()) {
            DataServerRun.loadOnce(server.get(), logdir, 600);
        }
        long[] inspectWall = new long[repetitions];
        long[] inspectCpu = new long[repetitions];
        long[] serverWall = new long[repetitions];
        long[] serverCpu = new long[repetitions];
        for (int i = 0; i < repetitions; i++) {
            InspectRun.Timing inspect = InspectRun.once(athanor, logdir, expectedSummary);
            inspectWall[i] = inspect.wallNanos();
            inspectCpu[i] = inspect.cpuNanos();
            String line = String.format(Locale.ROOT, "  #%d athanor inspect %.2f s wall, %.2f s CPU", i + 1,
                    inspect.wallNanos() / 1e9, inspect.cpuNanos() / 1e9);
            if (server.isPresent()) {
                DataServerRun.Cycle cycle = DataServerRun.loadOnce(server.get(), logdir, 600);
                serverWall[i] = cycle.processWallNanos();
                serverCpu[i] = cycle.cpuNanos();
                line += String.format(Locale.ROOT, "; data server %.2f s wall (its load cycle %.2f s), %.2f s CPU",
                        cycle.processWallNanos() / 1e9, cycle.wallNanos() / 1e9, cycle.cpuNanos() / 1e9);
            }
            System.out.println(line + "; load " + loadAverage());
        }
        double iw = median(inspectWall) / 1e9;
        double ic = median(inspectCpu) / 1e9;
        double sw = server.isPresent() ? median(serverWall) / 1e9 : Double.NaN;
        double sc = server.isPresent() ? median(serverCpu) / 1e9 : Double.NaN;
        System.out.printf(Locale.ROOT, "medians of %d: athanor inspect %.2f s wall, %.2f s CPU; data server %.2f s wall,"
                + " %.2f s CPU; data server / inspect: %.2fx wall clock, %.2fx CPU%n", repetitions, iw, ic, sw, sc,
                sw / iw, sc / ic);
        String csv = "runs,events,bytes,repetitions,inspect_wall_s,inspect_cpu_s,server_wall_s,server_cpu_s,"
                + "speedup_wall,speedup_cpu,load_average\n"
                + String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%s%n", runs, written, bytes,
                repetitions, iw, ic, sw, sc, sw / iw, sc / ic, loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, csv);
        System.out.println("wrote " + out);
    }

    private static long eventBytes(Path logdir) throws IOException {
        try (Stream<Path> files = Files.walk(logdir)) {
            return files.filter(p -> p.getFileName().toString().contains("tfevents")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return String.join(" ", List.of(fields[0], fields[1], fields[2]));
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** One whole {@code athanor inspect} process, timed from outside; its CPU from bash's {@code times}. */
    static final class InspectRun {

        record Timing(long wallNanos, long cpuNanos) {
        }

        private InspectRun() {
        }

        static Timing once(Path athanor, Path logdir, String expectedSummary) throws IOException, InterruptedException {
            // bash's `times` prints the CPU of the children it waited for: the launcher, its JVM and all threads.
            ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                    "\"$0\" inspect \"$1\" > \"$2\" || exit $?; times", athanor.toString(), logdir.toString(),
                    logdir.resolveSibling(logdir.getFileName() + ".inspect-output.txt").toString())
                    .redirectErrorStream(true);
            long start = System.nanoTime();
            Process process = builder.start();
            String console = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            long wall = System.nanoTime() - start;
            if (code != 0) {
                throw new IOException("athanor inspect exited with " + code + ":\n" + console);
            }
            Path output = logdir.resolveSibling(logdir.getFileName() + ".inspect-output.txt");
            String printed = Files.readString(output);
            if (!printed.contains(expectedSummary)) {
                throw new IOException("athanor inspect did not report '" + expectedSummary + "'; it printed:\n"
                        + printed.substring(Math.max(0, printed.length() - 500)));
            }
            return new Timing(wall, childCpuNanos(console));
        }

        /** The second line of `times` ("0m1.234s 0m0.056s"): user and system time of the children. */
        private static long childCpuNanos(String console) {
            List<String> lines = new ArrayList<>(console.lines().toList());
            String children = lines.get(lines.size() - 1).trim();
            long total = 0;
            for (String part : children.split("\\s+")) {
                int m = part.indexOf('m');
                double seconds = Double.parseDouble(part.substring(0, m)) * 60
                        + Double.parseDouble(part.substring(m + 1, part.length() - 1));
                total += Math.round(seconds * 1e9);
            }
            return total;
        }
    }
}
