package dev.athanor.bench.parse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed by this whole JVM (benchmark thread, GC, JIT), in nanoseconds. Throughput
 * per CPU second stays meaningful on a machine shared with other work, where wall-clock time
 * also counts the time other processes had the cores. On Linux it sums the nanosecond counters
 * of {@code /proc/self/task/<tid>/schedstat}; elsewhere it falls back to the JVM's process CPU
 * time, which often ticks in 10 ms steps.
 */
final class ProcessCpuClock {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final boolean SCHEDSTAT = Files.isReadable(TASKS.resolve(Long.toString(
            ProcessHandle.current().pid())).resolve("schedstat"));

    private ProcessCpuClock() {
    }

    static long nanos() {
        if (SCHEDSTAT) {
            long total = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
                for (Path task : tasks) {
                    try {
                        String stat = Files.readString(task.resolve("schedstat"));
                        total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                    } catch (IOException | RuntimeException e) {
                        // The thread ended between listing and reading: its time is gone either way.
                    }
                }
                return total;
            } catch (IOException e) {
                // fall through
            }
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
