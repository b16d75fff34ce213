package dev.athanor.bench.uploader;

import dev.athanor.testing.MutableClock;
import dev.athanor.uploader.discovery.LogdirRunDiscovery;
import dev.athanor.uploader.discovery.LogdirScan;
import dev.athanor.uploader.tail.FileSet;
import dev.athanor.uploader.tail.ReaderPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * What one scan of a big logdir costs the uploader (issue 15: "the uploader holds a bounded number
 * of files for logdirs with thousands of runs"): the logdir's discovery and the file set's update,
 * as the upload loop runs them every poll interval, without reading or sending. A generated logdir
 * of RUNS runs × FILES event files; before each scan ACTIVE files (spread over the runs) grow by a
 * few bytes, as live runs do, the others stay idle.
 *
 * <p>{@code ScanBench generate DIR RUNS FILES} writes the logdir; {@code ScanBench scan DIR SCANS
 * ACTIVE} scans it SCANS times after one first scan, the discovery's clock advancing by one poll
 * interval (1 s) per scan, and prints the time per scan. File-system calls per scan are counted
 * by {@code bench/run-scan-bench.sh} with strace around two runs (0 and SCANS scans).
 */
public final class ScanBench {

    private static final byte[] GROWTH = new byte[16];
    private static final Duration POLL = Duration.ofSeconds(1);

    private ScanBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "scan" -> scan(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(
                    "usage: ScanBench generate DIR RUNS FILES | ScanBench scan DIR SCANS ACTIVE");
        }
    }

    private static void generate(Path logdir, int runs, int files) throws IOException {
        for (int r = 0; r < runs; r++) {
            Path run = Files.createDirectories(logdir.resolve("sweep/run-%05d".formatted(r)));
            for (int f = 0; f < files; f++) {
                Files.write(run.resolve("events.out.tfevents.%d.host.%d.v2".formatted(1_700_000_000L + f, r)),
                        new byte[64]);
            }
        }
        System.out.printf("generated %s: %d runs x %d event files%n", logdir, runs, files);
    }

    private static void scan(Path logdir, int scans, int active) throws IOException {
        MutableClock clock = new MutableClock();
        LogdirRunDiscovery discovery = new LogdirRunDiscovery(logdir, POLL, clock);
        FileSet files = new FileSet(new ReaderPool(128), problem -> { });
        long first = System.nanoTime();
        LogdirScan firstScan = discovery.scan();
        files.apply(firstScan);
        double firstMs = (System.nanoTime() - first) / 1e6;
        int count = firstScan.files().size();
        Path[] growing = new Path[Math.min(active, count)];
        for (int i = 0; i < growing.length; i++) {
            growing[i] = firstScan.files().get((int) ((long) i * count / growing.length)).path();
        }
        long total = 0;
        long discovering = 0;
        long grownSeen = 0;
        for (int s = 0; s < scans; s++) {
            for (Path file : growing) {
                Files.write(file, GROWTH, StandardOpenOption.APPEND);
            }
            clock.advance(POLL);
            long t0 = System.nanoTime();
            LogdirScan next = discovery.scan();
            long t1 = System.nanoTime();
            grownSeen += files.apply(next).grownFiles();
            total += System.nanoTime() - t0;
            discovering += t1 - t0;
        }
        System.out.printf("%d event files in %d runs; first scan %.1f ms; %d scans with %d growing files: "
                        + "%.2f ms per scan (%.2f ms discovery, the rest the file set's update), %.1f grown files seen per scan%n",
                count, files.runs().size(), firstMs, scans, growing.length,
                scans == 0 ? 0 : total / 1e6 / scans, scans == 0 ? 0 : discovering / 1e6 / scans, scans == 0 ? 0 : (double) grownSeen / scans);
    }
}
