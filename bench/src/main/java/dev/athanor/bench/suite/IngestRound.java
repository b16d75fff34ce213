package dev.athanor.bench.suite;

import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * One sustained-ingest measurement: uploaders (the real client library, once mode), one per
 * logdir and so one gRPC stream each, send their event files at the same time; the clock stops
 * when PostgreSQL shows every byte indexed ({@code source_file.indexed_offset}) and every point
 * counted ({@code series.point_count}). Acknowledged means durable in the raw log (fsynced).
 * A round is laid out one of two ways: N logdirs of one run each, N uploaders into N experiments
 * ({@link #prepareStreams}: N training pods, each with its sidecar), or one logdir holding N runs
 * in N subdirectories, one uploader into one experiment ({@link #prepareSweep}: a sweep uploaded
 * by {@code athanor upload --once}). With several ingest replicas, uploader i is given every
 * replica's address and starts at replica {@code i % N} (a reconnect moves on round robin); CPU
 * and memory are summed over the replicas.
 */
final class IngestRound {

    /** One run of a round: its experiment, the logdir its uploader sends, its event file, and what that file holds. */
    record Run(String experiment, Path logdir, Path file, long bytes, long points, List<String> tags) {
    }

    /** One uploader of a round: a logdir into an experiment, the runs it holds. */
    private record Upload(String experiment, Path logdir, List<Run> runs) {

        long bytes() {
            return runs.stream().mapToLong(Run::bytes).sum();
        }
    }

    /**
     * @param runs      runs of the round
     * @param uploaders uploaders, so gRPC streams: as many as runs, or one for a sweep
     */
    record Result(int replicas, int runs, int uploaders, long points, long bytes, double ackedSeconds, double indexedSeconds, boolean timedOut,
                  long indexedPoints, long peakRss, long hwm, long peakHeap, long endHeap,
                  double ingestCpu, double postgresCpu, double clientCpu, double machineCpu, String load) {

        double pointsPerSecond() {
            return points / indexedSeconds;
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / indexedSeconds;
        }
    }

    private IngestRound() {
    }

    /**
     * Generates (or reuses) {@code runs} logdirs of one run each, experiments
     * {@code experimentPrefix + i}, holding {@code totalPoints} points between them: one uploader each.
     */
    static List<Run> prepareStreams(Path dataDir, String experimentPrefix, int runs, long totalPoints, List<String> tags)
            throws IOException {
        return prepare(runs, totalPoints, tags, s -> dataDir.resolve("s" + s), s -> experimentPrefix + s);
    }

    /**
     * Generates (or reuses) one logdir {@code dataDir} holding {@code runs} runs (subdirectories
     * {@code run-i}), all in experiment {@code experiment}, {@code totalPoints} points between them:
     * one uploader for all.
     */
    static List<Run> prepareSweep(Path dataDir, String experiment, int runs, long totalPoints, List<String> tags)
            throws IOException {
        return prepare(runs, totalPoints, tags, s -> dataDir, s -> experiment);
    }

    /** Run {@code s} of {@code runs} is {@code logdir(s)/run-s}, uploaded into {@code experiment(s)}. */
    private static List<Run> prepare(int runs, long totalPoints, List<String> tags, IntFunction<Path> logdir,
            IntFunction<String> experiment) throws IOException {
        long steps = Math.max(1, totalPoints / runs / tags.size());
        List<Run> result = new ArrayList<>();
        for (int s = 0; s < runs; s++) {
            Path file = ScalarRunFiles.ensure(logdir.apply(s).resolve("run-" + s), tags, steps);
            result.add(new Run(experiment.apply(s), logdir.apply(s), file, Files.size(file), steps * tags.size(),
                    List.copyOf(tags)));
        }
        return result;
    }

    /** The uploaders of a round: one per logdir, in the order the runs came. */
    private static List<Upload> uploads(List<Run> runs) {
        Map<Path, List<Run>> byLogdir = new LinkedHashMap<>();
        for (Run run : runs) {
            byLogdir.computeIfAbsent(run.logdir(), d -> new ArrayList<>()).add(run);
        }
        List<Upload> uploads = new ArrayList<>();
        byLogdir.forEach((logdir, its) -> {
            String experiment = its.get(0).experiment();
            if (its.stream().anyMatch(r -> !r.experiment().equals(experiment))) {
                throw new IllegalArgumentException(logdir + ": the runs of one logdir go to one experiment");
            }
            uploads.add(new Upload(experiment, logdir, List.copyOf(its)));
        });
        return uploads;
    }

    static Result run(BenchSuite suite, List<Run> runs, String experimentPrefix, Duration timeout)
            throws Exception {
        long points = runs.stream().mapToLong(Run::points).sum();
        long bytes = runs.stream().mapToLong(Run::bytes).sum();
        List<Upload> streams = uploads(runs);
        ExecutorService pool = Executors.newFixedThreadPool(streams.size());
        List<Long> ingestPids = suite.ingestPids();
        double ingestCpu0 = ProcStats.cpuSeconds(ingestPids);
        double pgCpu0 = ProcStats.postgresCpuSeconds(suite.postmasterPid());
        double selfCpu0 = ProcStats.selfCpuSeconds();
        double machine0 = ProcStats.machineBusySeconds();
        try (Connection db = DriverManager.getConnection(suite.jdbcUrl(), "postgres", "postgres");
             PreparedStatement progress = db.prepareStatement(
                     "SELECT (SELECT coalesce(sum(f.indexed_offset), 0) FROM source_file f JOIN run r ON r.id = f.run_id"
                             + " JOIN experiment e ON e.id = r.experiment_id WHERE e.name LIKE ?),"
                             + " (SELECT coalesce(sum(s.point_count), 0) FROM series s JOIN run r ON r.id = s.run_id"
                             + " JOIN experiment e ON e.id = r.experiment_id WHERE e.name LIKE ?)");
             MemorySampler memory = new MemorySampler(ingestPids, suite.ingestMetricsUrls(), Duration.ofMillis(500))) {
            progress.setString(1, experimentPrefix + "%");
            progress.setString(2, experimentPrefix + "%");
            long start = System.nanoTime();
            List<Future<Long>> uploads = new ArrayList<>();
            for (int i = 0; i < streams.size(); i++) {
                Upload stream = streams.get(i);
                int first = i % suite.ingestReplicas();
                uploads.add(pool.submit(() -> upload(suite, stream, first, start)));
            }
            long deadline = start + timeout.toNanos();
            long indexedBytes = 0;
            long indexedPoints = 0;
            long end;
            while (true) {
                long[] now = poll(progress);
                indexedBytes = now[0];
                indexedPoints = now[1];
                end = System.nanoTime();
                if ((indexedBytes >= bytes && indexedPoints >= points) || end > deadline) {
                    break;
                }
                for (Future<Long> f : uploads) {
                    if (f.isDone()) {
                        f.get(); // an upload that failed ends the round with its message
                    }
                }
                Thread.sleep(50);
            }
            boolean timedOut = indexedBytes < bytes || indexedPoints < points;
            long ackedNanos = 0;
            for (Future<Long> f : uploads) {
                ackedNanos = Math.max(ackedNanos, timedOut && !f.isDone() ? end - start : f.get());
            }
            memory.close();
            if (!timedOut) {
                verify(db, experimentPrefix, runs);
            }
            long hwm = ProcStats.statusBytes(ingestPids, "VmHWM");
            return new Result(suite.ingestReplicas(), runs.size(), streams.size(), points, bytes, ackedNanos / 1e9, (end - start) / 1e9, timedOut,
                    indexedPoints, memory.peakRss(), hwm, memory.peakHeap(), memory.lastHeap(),
                    ProcStats.cpuSeconds(ingestPids) - ingestCpu0,
                    ProcStats.postgresCpuSeconds(suite.postmasterPid()) - pgCpu0,
                    ProcStats.selfCpuSeconds() - selfCpu0, ProcStats.machineBusySeconds() - machine0,
                    ProcStats.loadAverage());
        } catch (ExecutionException e) {
            throw new IllegalStateException("upload failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Uploads one logdir, first to replica {@code firstReplica} (with one replica, to its single
     * address as before); returns nanoseconds from the round's start until all of it was acknowledged.
     * The options are {@code athanor upload --once}'s (the library's defaults: scan interval, batch
     * size, batches in flight), output aside.
     */
    private static long upload(BenchSuite suite, Upload stream, int firstReplica, long start) {
        UploadOptions.Builder builder = suite.ingestReplicas() == 1
                ? UploadOptions.builder(stream.logdir(), stream.experiment(), suite.grpcEndpoint())
                : UploadOptions.builder(stream.logdir(), stream.experiment(), suite.grpcEndpoints())
                        .firstEndpoint(firstReplica);
        UploadOptions options = builder
                .once(true)
                .progress(UploadOptions.ProgressMode.QUIET)
                .out(new PrintStream(OutputStream.nullOutputStream())) // the result is checked below
                .build();
        UploadResult result = Uploader.run(options);
        long acked = System.nanoTime() - start;
        if (!result.succeeded() || result.bytesAcked() != stream.bytes() || result.runs() != stream.runs().size()) {
            throw new IllegalStateException(stream.logdir() + ": " + result.outcome() + ", " + result.bytesAcked()
                    + " of " + stream.bytes() + " bytes of " + result.runs() + " of " + stream.runs().size()
                    + " runs acknowledged: " + result.message());
        }
        return acked;
    }

    /**
     * After the clock stopped: the chunks hold exactly the points sent, one series per tag per run,
     * and each series ends on the value the file ends with (the counters alone could be satisfied
     * by a bug).
     */
    private static void verify(Connection db, String experimentPrefix, List<Run> runs) throws SQLException {
        long expected = runs.stream().mapToLong(Run::points).sum();
        try (PreparedStatement ps = db.prepareStatement("SELECT count(DISTINCT s.id), coalesce(sum(c.point_count), 0),"
                + " count(*) FILTER (WHERE s.last_value IS DISTINCT FROM c.last_value AND c.last_step = s.last_step)"
                + " FROM scalar_chunk c JOIN series s ON s.id = c.series_id JOIN run r ON r.id = s.run_id"
                + " JOIN experiment e ON e.id = r.experiment_id WHERE e.name LIKE ?")) {
            ps.setString(1, experimentPrefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long series = rs.getLong(1);
                long chunkPoints = rs.getLong(2);
                long mismatched = rs.getLong(3);
                if (chunkPoints != expected || series == 0 || mismatched != 0) {
                    throw new IllegalStateException(experimentPrefix + "*: expected " + expected + " points, the index holds "
                            + chunkPoints + " in " + series + " series (" + mismatched + " roll-ups disagree with their last chunk)");
                }
            }
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT s.tag, s.last_step, s.last_value FROM series s"
                + " JOIN run r ON r.id = s.run_id JOIN experiment e ON e.id = r.experiment_id WHERE e.name LIKE ?")) {
            ps.setString(1, experimentPrefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tag = rs.getString(1);
                    Run any = runs.get(0);
                    List<String> tags = any.tags();
                    long lastStep = any.points() / tags.size() - 1;
                    double want = ScalarRunFiles.value(tags.indexOf(tag), lastStep);
                    if (rs.getLong(2) != lastStep || rs.getDouble(3) != want) {
                        throw new IllegalStateException(experimentPrefix + "*: series " + tag + " ends at step "
                                + rs.getLong(2) + " with " + rs.getDouble(3) + ", the files end at step " + lastStep
                                + " with " + want);
                    }
                }
            }
        }
    }

    private static long[] poll(PreparedStatement progress) throws SQLException {
        try (ResultSet rs = progress.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
