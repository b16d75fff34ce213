package dev.athanor.helm.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line as this machine needs it: runc as the runtime (Debian's crun refuses
 * hybrid cgroups) and the file and process limits given explicitly at the values this process
 * already has (podman may not raise them).
 */
final class Podman {

    record Result(int exitCode, String output) {
        Result orFail(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " failed (exit " + exitCode + "): " + output.strip());
            }
            return this;
        }
    }

    private final List<String> prefix;

    private Podman(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** The podman of this machine, or why there is none usable. */
    static Availability find() {
        Optional<Path> podman = onPath("podman");
        if (podman.isEmpty()) {
            return new Availability(null, "podman is not installed (apt-get install podman runc; .ci/run does it as root)");
        }
        List<String> prefix = new ArrayList<>(List.of(podman.get().toString()));
        onPath("runc").ifPresent(runc -> prefix.addAll(List.of("--runtime", runc.toString())));
        Podman candidate = new Podman(prefix);
        Result info = candidate.run(List.of("info", "--format", "{{.Host.OCIRuntime.Name}}"), 60);
        if (info.exitCode() != 0) {
            return new Availability(null, "podman is installed but `podman info` fails: " + info.output().strip());
        }
        return new Availability(candidate, null);
    }

    record Availability(Podman podman, String missing) {
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Explicit limits (podman's defaults would raise them, which this machine refuses): this
     * process's open-files limit, and its process limit capped at 32768 (higher values were refused
     * here even below the limit). A kubelet sets neither; they are the node's.
     */
    static List<String> ulimits() {
        long files = currentLimit("Max open files");
        long processes = Math.min(32768, currentLimit("Max processes"));
        return List.of("--ulimit", "nofile=" + files + ":" + files, "--ulimit", "nproc=" + processes + ":" + processes);
    }

    /** The soft limit of this process for a /proc/self/limits row ("Max open files"). */
    static long currentLimit(String row) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(row)) {
                    String soft = line.substring(row.length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? 1_048_576L : Long.parseLong(soft);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no '" + row + "' in /proc/self/limits");
    }

    Result run(List<String> arguments, long timeoutSeconds) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(arguments);
        try {
            Path output = Files.createTempFile("athanor-podman-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                // podman 4.3 complains on every call when there is no syslog; it is not the command's output.
                text = text.lines().filter(l -> !l.startsWith("Failed to connect to syslog")
                        && !l.contains("failed to connect to syslog")).reduce("", (a, b) -> a + b + "\n");
                return new Result(process.exitValue(), text);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    Result run(String... arguments) {
        return run(List.of(arguments), 300);
    }
}
