package dev.athanor.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What Linux says about a process in /proc: resident memory (VmRSS, and its peak VmHWM) and CPU
 * time. Benchmarks read the services from outside, so the numbers include everything the JVM
 * maps (heap, metaspace, code cache, thread stacks, direct buffers), as an operator would see it.
 */
public final class ProcStats {

    /** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every Linux we run on). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** A "VmXxx:  123 kB" line of /proc/<pid>/status in bytes, or -1 when unreadable. */
    static long statusBytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or not Linux
        }
        return -1;
    }

    /** {@link #statusBytes(long, String)} summed over several processes, or -1 when any is unreadable. */
    static long statusBytes(java.util.List<Long> pids, String field) {
        return sumOrUnknown(pids, pid -> statusBytes(pid, field));
    }

    /** The sum of {@code value} over {@code items}, or -1 when any of them is -1 (unknown). */
    static <T> long sumOrUnknown(java.util.List<T> items, java.util.function.ToLongFunction<T> value) {
        long sum = 0;
        for (T item : items) {
            long each = value.applyAsLong(item);
            if (each < 0) {
                return -1;
            }
            sum += each;
        }
        return sum;
    }

    /** {@link #cpuSeconds(long, boolean)} summed over several processes (the ingest replicas). */
    static double cpuSeconds(java.util.List<Long> pids) {
        return pids.stream().mapToDouble(pid -> cpuSeconds(pid, false)).sum();
    }

    /** utime + stime of one process in seconds; with {@code reaped}, also its waited-for children's. */
    public static double cpuSeconds(long pid, boolean reaped) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (reaped) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU seconds of a whole PostgreSQL instance: the postmaster with the backends it already
     * reaped, plus every live descendant (backends, checkpointer, WAL writer...).
     */
    public static double postgresCpuSeconds(OptionalLong postmaster) {
        if (postmaster.isEmpty()) {
            return 0;
        }
        long pid = postmaster.getAsLong();
        double total = cpuSeconds(pid, true);
        total += ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::descendants)
                .mapToDouble(child -> cpuSeconds(child.pid(), false))
                .sum();
        return total;
    }

    /** CPU seconds used by this JVM (the benchmark driver and, during ingest, the uploaders). */
    static double selfCpuSeconds() {
        return cpuSeconds(ProcessHandle.current().pid(), false);
    }

    /** CPU seconds the whole machine spent busy (all cores, all processes: /proc/stat minus idle and iowait). */
    static double machineBusySeconds() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
