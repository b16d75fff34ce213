package dev.athanor.bench.parse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TensorBoard's data server (rustboard) over a logdir once and reads how long its load
 * cycle took: {@code server --logdir DIR --reload once --checksum -v}, which logs
 * "Finished load cycle (…)". It keeps serving afterwards, so it is stopped once that line
 * appears. Its CPU time (user + system, from /proc) is read at that moment too, since it loads
 * runs on several threads.
 */
final class DataServerRun {

    static final String ENV = "ATHANOR_TB_DATA_SERVER";
    private static final Pattern FINISHED = Pattern.compile("Finished load cycle \\(([0-9.]+)(ns|µs|us|ms|s)\\)");

    /**
     * Wall-clock and CPU nanoseconds of one load cycle; {@code processWallNanos} is from starting
     * the process to the "Finished" line (start-up included, what a whole-process comparison needs).
     */
    record Cycle(long wallNanos, long cpuNanos, long processWallNanos) {
    }

    private DataServerRun() {
    }

    /** The server binary: $ATHANOR_TB_DATA_SERVER, else a venv beside the repository or at /work/venv. */
    static Optional<Path> locate(Path repoRoot) throws IOException {
        String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path venv : List.of(repoRoot.resolveSibling("venv"), Path.of("/work/venv"))) {
            Path lib = venv.resolve("lib");
            if (!Files.isDirectory(lib)) {
                continue;
            }
            try (Stream<Path> pythons = Files.list(lib)) {
                Optional<Path> server = pythons
                        .filter(p -> p.getFileName().toString().startsWith("python3"))
                        .map(p -> p.resolve("site-packages/tensorboard_data_server/bin/server"))
                        .filter(Files::isExecutable)
                        .findFirst();
                if (server.isPresent()) {
                    return server;
                }
            }
        }
        return Optional.empty();
    }

    /** One load cycle over {@code logdir}; fails if the server does not report one within the timeout. */
    static Cycle loadOnce(Path server, Path logdir, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(server.toString(), "--logdir", logdir.toString(),
                "--reload", "once", "--checksum", "-v", "--host", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true);
        long started = System.nanoTime();
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                output.add(line);
                Matcher matcher = FINISHED.matcher(line);
                if (matcher.find()) {
                    long processWall = System.nanoTime() - started;
                    long cpu = cpuNanos(process.pid());
                    return new Cycle(toNanos(Double.parseDouble(matcher.group(1)), matcher.group(2)), cpu, processWall);
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            throw new IOException("data server gave no 'Finished load cycle' line; it printed:\n"
                    + String.join("\n", output));
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static long toNanos(double value, String unit) {
        return Math.round(switch (unit) {
            case "ns" -> value;
            case "µs", "us" -> value * 1e3;
            case "ms" -> value * 1e6;
            default -> value * 1e9;
        });
    }

    /** utime + stime of a process from /proc (Linux), or -1 where that is not available. */
    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1_000_000_000L / clockTicksPerSecond();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }
}
