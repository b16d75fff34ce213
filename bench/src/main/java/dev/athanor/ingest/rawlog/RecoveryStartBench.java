package dev.athanor.ingest.rawlog;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.config.HotRootConfig;
import dev.athanor.ingest.config.IngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up after a crash on a hot root of many finished, indexed runs and a few live ones: the
 * raw log's side of ingest's start (what IndexScheduler does before indexing), with the list of
 * runs to recover, and as before it (the list removed: every journal scanned and every run opened).
 * A benchmark main: prints figures. Run by bench/run-recovery-start-bench.sh.
 *
 * <p>It lives in bench but in the raw log's package, on the classpath beside ingest-service's jar:
 * it drives parts of {@link RawLog} and {@link RunLog} that the package keeps to itself (a run's
 * pending commits, the shutdown that a crash skips, the list's directory), as the test it once was.
 *
 * <p>Arguments: {@code [runs (10000)] [live runs (20)] [hot root (a temporary directory)]}.
 */
public final class RecoveryStartBench {

    private RecoveryStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int live = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path hot = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("athanor-recovery-bench");
        IngestConfig config = HotRootConfig.of(hot, "bench");

        long fill = System.nanoTime();
        RawLog writer = new RawLog(config, HotDeletedSegments.NONE);
        List<RunLog> logs = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            RunLog log = writer.open(new RunIdentity(1_000 + i, 1, "bench", "sweep", "run-" + i));
            acks.add(log.append("events.out.tfevents", 0, List.of(ByteString.copyFromUtf8("r" + i))).durable());
            if (i >= live) {
                log.seal();
            }
            writer.commitSoon(log);
            logs.add(log);
            if (logs.size() % 500 == 0) {  // keep within the open-file bound while filling
                for (var ack : acks) {
                    ack.get(60, TimeUnit.SECONDS);
                }
                acks.clear();
            }
        }
        for (var ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
        for (int i = live; i < runs; i++) {  // the finished runs' seal durable, then "indexed"
            RunLog log = logs.get(i);
            while (log.hasPending()) {
                Thread.sleep(1);
            }
            log.indexedTo(log.durableJournalSize());
        }
        System.out.printf("filled %d runs (%d live) in %s in %.1f s%n", runs, live, hot,
                (System.nanoTime() - fill) / 1e9);
        // Crash: the writer is never shut down, so no clean stop is recorded.

        double withList = start(config, "with the list of runs to recover");
        Files.walk(hot.resolve(DirtyRuns.DIRECTORY)).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        double before = start(config, "without it (as before: every journal scanned and opened)");
        System.out.printf("start-up after a crash, %d runs on disk, %d live: %.3f s with the list, %.3f s without%n",
                runs, live, withList, before);
        try (Stream<Path> walk = Files.walk(hot)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double start(IngestConfig config, String what) throws Exception {
        long t0 = System.nanoTime();
        RawLog raw = new RawLog(config, HotDeletedSegments.NONE);
        List<RunIdentity> toRecover = raw.toRecover();
        for (RunIdentity identity : toRecover) {
            raw.open(identity);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("start %s: %d run logs opened in %.3f s%n", what, toRecover.size(), seconds);
        raw.onShutdown(null);
        return seconds;
    }
}
