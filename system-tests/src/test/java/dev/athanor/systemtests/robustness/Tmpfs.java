package dev.athanor.systemtests.robustness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small tmpfs of a test's own (root only), and filling it to the last byte: a full disk on demand. */
final class Tmpfs {

    private Tmpfs() {
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax: 64m) on {@code dir}; null when mounted, else why not. */
    static String mount(Path dir, String size) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "mounting a tmpfs needs root; this test runs as " + System.getProperty("user.name");
        }
        String failure = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString()));
        return failure == null ? null : "mount -t tmpfs on " + dir + " failed: " + failure;
    }

    /** Unmounts {@code dir} (lazily when a process still holds a file there, e.g. a service that did not stop). */
    static void unmount(Path dir) {
        try {
            if (run(List.of("umount", dir.toString())) != null) {
                run(List.of("umount", "-l", dir.toString()));
            }
        } catch (IOException e) {
            System.err.println("could not unmount " + dir + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code file} until its filesystem has no byte left; answers how many bytes it took. */
    static long fill(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int size = block.length; size > 0; size /= 2) {
                try {
                    while (true) {
                        out.write(block, 0, size);
                        out.flush();
                        written += size;
                    }
                } catch (IOException full) {
                    // No room for a block this big: go on with halves down to one byte.
                }
            }
        } catch (IOException closeOnFullDisk) {
            // Closing flushes nothing more: every write above was flushed.
        }
        return written;
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish in 30 s";
        }
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
