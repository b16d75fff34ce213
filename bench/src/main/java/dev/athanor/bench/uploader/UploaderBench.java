package dev.athanor.bench.uploader;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.IngestStore;
import dev.athanor.uploader.testing.TestLogdir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measures the uploader in its own JVM (CPU from /proc, peak RSS) against the fake ingest server
 * (offsets and counts only), and prints a table:
 * <ol>
 *   <li>throughput: a generated logdir uploaded with {@code once};</li>
 *   <li>tailing: 100 files growing slowly (one event per file every 100 ms) in sidecar mode.</li>
 * </ol>
 * Run: {@code bench/run-uploader-bench.sh [RUNS FILES EVENTS TAIL_SECONDS]}.
 * Linux only (reads /proc).
 */
public final class UploaderBench {

    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static volatile long currentChild;

    private UploaderBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int filesPerRun = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int eventsPerFile = args.length > 2 ? Integer.parseInt(args[2]) : 150_000;
        int tailSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Path dir = Files.createTempDirectory("athanor-uploader-bench");
        try (FakeIngestServer server = new FakeIngestServer(new IngestStore(false)).start()) {
            System.out.printf("%-44s %12s %12s %10s %12s %10s %10s%n", "scenario", "MB", "records", "wall s",
                    "MB/s", "CPU s", "peak RSS MB");
            throughput(dir.resolve("throughput"), server, runs, filesPerRun, eventsPerFile);
            tailing(dir.resolve("tail"), server, 100, tailSeconds);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void throughput(Path logdir, FakeIngestServer server, int runs, int files, int events)
            throws Exception {
        TestLogdir writer = new TestLogdir(logdir);
        for (int r = 0; r < runs; r++) {
            for (int f = 0; f < files; f++) {
                try (EventFileWriter w = writer.newFile("run-" + r)) {
                    TestLogdir.writeScalars(w, "loss", 0, events, 0);
                }
            }
        }
        long bytes = size(logdir);
        long records = (long) runs * files * (events + 1);
        long before = server.store().acceptedRecords();
        Measured m = measure(logdir, server, "once", null);
        long stored = server.store().acceptedRecords() - before;
        System.out.printf("%-44s %12.1f %12d %10.2f %12.1f %10.2f %10.1f%n",
                "once: %d runs x %d files, %d scalar events".formatted(runs, files, records), bytes / 1e6, stored,
                m.wallSeconds, bytes / 1e6 / m.wallSeconds, m.cpuSeconds, m.peakRssMb);
        System.out.printf("%-44s %12s %12.0f%n", "  records/s", "", stored / m.wallSeconds);
        if (stored != records) {
            throw new IllegalStateException("expected " + records + " records on the server, got " + stored);
        }
    }

    private static void tailing(Path logdir, FakeIngestServer server, int files, int seconds) throws Exception {
        TestLogdir writer = new TestLogdir(logdir);
        List<EventFileWriter> writers = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            writers.add(writer.newFile("run-" + i));
        }
        long before = server.store().acceptedRecords();
        long[] steady = new long[4]; // cpu ticks and nanos at the start and end of the steady window
        Measured m = measure(logdir, server, "sidecar", () -> {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long warm = start + TimeUnit.SECONDS.toNanos(Math.min(5, seconds / 2));
            long step = 0;
            while (System.nanoTime() < end) {
                if (steady[1] == 0 && System.nanoTime() > warm) {
                    steady[0] = cpuTicks(currentChild);
                    steady[1] = System.nanoTime();
                }
                for (EventFileWriter w : writers) {
                    w.write(TestLogdir.scalar("loss", step));
                    w.flush();
                }
                step++;
                Thread.sleep(100);
            }
            steady[2] = cpuTicks(currentChild);
            steady[3] = System.nanoTime();
            for (EventFileWriter w : writers) {
                w.close();
            }
            Files.writeString(logdir.resolve(".athanor-stop"), "0");
        });
        long stored = server.store().acceptedRecords() - before;
        System.out.printf("%-44s %12.1f %12d %10.2f %12s %10.2f %10.1f%n",
                "sidecar: %d files growing 10 events/s each".formatted(files), size(logdir) / 1e6, stored,
                m.wallSeconds, "-", m.cpuSeconds, m.peakRssMb);
        double steadyCpu = (steady[2] - steady[0]) / (double) CLOCK_TICKS_PER_SECOND;
        double steadyWall = (steady[3] - steady[1]) / 1e9;
        System.out.printf("%-44s %12s %12.1f%%%n", "  uploader CPU (% of one core), steady tailing", "",
                100 * steadyCpu / steadyWall);
    }

    /** What the uploader's JVM used. */
    record Measured(double wallSeconds, double cpuSeconds, double peakRssMb) {
    }

    interface Work {
        void run() throws Exception;
    }

    private static Measured measure(Path logdir, FakeIngestServer server, String mode, Work meanwhile)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + System.getProperty("uploader.xmx", "64m")));
        String extra = System.getProperty("uploader.jvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath(), UploadMain.class.getName(),
                logdir.toString(), server.endpoint(), mode));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        currentChild = child.pid();
        long start = System.nanoTime();
        long[] peakRssKb = {0};
        Thread sampler = new Thread(() -> {
            while (child.isAlive()) {
                peakRssKb[0] = Math.max(peakRssKb[0], rssKb(child.pid()));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long[] cpuTicks = {0};
        Thread cpu = new Thread(() -> {
            while (child.isAlive()) {
                cpuTicks[0] = Math.max(cpuTicks[0], cpuTicks(child.pid()));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        cpu.setDaemon(true);
        cpu.start();
        if (meanwhile != null) {
            meanwhile.run();
        }
        if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
            throw new IllegalStateException("uploader exited with " + (child.isAlive() ? "timeout" : child.exitValue()));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        sampler.join();
        cpu.join();
        return new Measured(wall, cpuTicks[0] / (double) CLOCK_TICKS_PER_SECOND, peakRssKb[0] / 1024.0);
    }

    /** The classpath this class was loaded from (a URLClassLoader's, e.g. under exec:java, else the JVM's). */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader loader = UploaderBench.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof java.net.URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        // Not a file URL: not something a child JVM could use.
                    }
                }
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The process ended between the check and the read.
        }
        return 0;
    }

    /** utime + stime of the process (clock ticks). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
