package dev.athanor.bench.archive;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.s3.S3Settings;
import dev.athanor.archive.store.testing.S3ProxyServer;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.tiering.ArchiveMetrics;
import dev.athanor.archive.tiering.Backoff;
import dev.athanor.archive.tiering.PassSummary;
import dev.athanor.archive.tiering.TieringSettings;
import dev.athanor.archive.tiering.TieringWorker;
import dev.athanor.archive.tiering.VerifyMode;
import dev.athanor.archive.tiering.WorkerLock;
import dev.athanor.bench.ScratchIndex;
import dev.athanor.bench.suite.ProcStats;
import dev.athanor.rawlog.HotRoot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Archive and restore throughput of archive-service's tiering pass against a local S3 API server
 * (s3proxy, filesystem backend, child JVM): hash the hot file, upload it (multipart), verify by
 * reading back, record it in the catalog, delete the hot file; then GET every object back to
 * local files. The worker is archive-service's own, built by hand over an embedded PostgreSQL
 * migrated with the index schema. Prints a table and writes {@code archive-bench.csv}.
 *
 * <p>Options: {@code --total-mib N} (1024), {@code --segment-mib N} (128, ingest's default segment
 * size), {@code --part-mib N} (8, the service's default part size), {@code --out DIR}
 * ({@code bench/target/archive-bench}). The s3proxy jar is named by the system property
 * {@code athanor.test.s3proxy.jar} (bench/run-archive-bench.sh sets it).
 */
public final class ArchiveBench {

    private int totalMib = 1024;
    private int segmentMib = 128;
    private int partMib = 8;
    private Path out = Path.of("bench", "target", "archive-bench");

    public static void main(String[] args) throws Exception {
        ArchiveBench bench = new ArchiveBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--total-mib" -> bench.totalMib = positive(args, ++i);
                case "--segment-mib" -> bench.segmentMib = positive(args, ++i);
                case "--part-mib" -> bench.partMib = positive(args, ++i);
                case "--out" -> bench.out = Path.of(value(args, ++i, "--out"));
                case "--help", "-h" -> {
                    System.out.println("usage: bench/run-archive-bench.sh [--total-mib N] [--segment-mib N] [--part-mib N]"
                            + " [--out DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (see --help)");
            }
        }
        bench.run();
        System.exit(0); // s3proxy's client threads would keep the JVM up
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i) {
        String option = args[i - 1];
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " must be a whole number of MiB above 0, got '" + text + "'");
    }

    private void run() throws Exception {
        int segments = Math.max(1, totalMib / segmentMib);
        Files.createDirectories(out);
        Path work = Files.createTempDirectory(out.toAbsolutePath(), "work-");
        S3ProxyServer server = S3ProxyServer.startFilesystemBacked(Files.createDirectories(work.resolve("s3")));
        try (ScratchIndex index = ScratchIndex.start()) {
            server.createBucket("bench");
            HotLog hot = new HotLog(index.dataSource(), Files.createDirectories(work.resolve("hot")));
            long bytes = writeSegments(index.dataSource(), hot, segments);
            S3Settings base = server.settings("bench");
            // The service's defaults: multipart above 16 MiB, in parts of partMib.
            S3Settings s3 = new S3Settings(base.endpoint(), base.region(), base.bucket(), true, base.accessKeyId(),
                    base.secretAccessKey(), base.sse(), base.kmsKeyId(), base.warmClass(), base.coldClass(), 16L << 20,
                    (long) partMib << 20, base.restoreTier());
            try (S3ObjectStore store = new S3ObjectStore(s3)) {
                TieringWorker worker = worker(index.dataSource(), hot, store);
                long t0 = System.nanoTime();
                PassSummary pass = worker.runPass();
                double archiveSeconds = (System.nanoTime() - t0) / 1e9;
                if (pass.archived() != segments) {
                    throw new IllegalStateException("expected " + segments + " archived segments: " + pass);
                }
                Path restored = Files.createDirectories(work.resolve("restored"));
                List<ObjectInfo> objects = store.list("athanor/");
                long t1 = System.nanoTime();
                long restoredBytes = 0;
                for (ObjectInfo o : objects) {
                    try (InputStream in = store.get(o.key())) {
                        restoredBytes += Files.copy(in, restored.resolve(o.key().replace('/', '_')));
                    }
                }
                double restoreSeconds = (System.nanoTime() - t1) / 1e9;
                // Spot-check one restored segment against what was archived.
                ObjectInfo first = objects.getFirst();
                Crc32c.Digest digest = Crc32c.of(restored.resolve(first.key().replace('/', '_')));
                if (digest.size() != first.size()) {
                    throw new IllegalStateException("restored " + first.key() + " has " + digest.size() + " bytes, not "
                            + first.size());
                }
                report(segments, bytes, archiveSeconds, restoredBytes, restoreSeconds);
            }
        } finally {
            server.stop();
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sealed segments of incompressible bytes (the archive treats segments as opaque) of one finished run. */
    private long writeSegments(DataSource db, HotLog hot, int segments) throws IOException, SQLException {
        HotLog.Run run = hot.run("bench", "FINISHED");
        byte[] block = new byte[1 << 20];
        new Random(7).nextBytes(block);
        long bytes = 0;
        for (int i = 0; i < segments; i++) {
            HotLog.Segment s = hot.segment(run, 1);
            try (OutputStream file = Files.newOutputStream(s.file())) {
                for (int m = 0; m < segmentMib; m++) {
                    block[0] = (byte) i;
                    block[1] = (byte) m;
                    file.write(block);
                }
            }
            long size = Files.size(s.file());
            bytes += size;
            try (Connection c = db.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE raw_segment SET size_bytes = ? WHERE id = ?")) {
                ps.setLong(1, size);
                ps.setLong(2, s.id());
                ps.executeUpdate();
            }
        }
        return bytes;
    }

    /** archive-service's tiering worker with its default settings, archiving at once (no minimum age). */
    private static TieringWorker worker(DataSource db, HotLog hot, S3ObjectStore store) {
        TieringSettings settings = new TieringSettings(1000, Duration.ZERO, true, Duration.ZERO, Optional.empty(),
                VerifyMode.AUTO, new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)),
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        return new TieringWorker(store, new ArchiveCatalog(db, "bench", Optional.of(hot.node()), Clock.systemUTC()),
                new ArchiveLayout("athanor"), new HotRoot(hot.hotRoot()), new WorkerLock(db, "bench/" + hot.node()),
                new ArchiveMetrics(new SimpleMeterRegistry()), settings, Clock.systemUTC());
    }

    private void report(int segments, long bytes, double archiveSeconds, long restoredBytes, double restoreSeconds)
            throws IOException {
        double mib = bytes / (1024.0 * 1024.0);
        double restoredMib = restoredBytes / (1024.0 * 1024.0);
        System.out.println();
        System.out.printf(Locale.ROOT, "archive-service throughput: %d segments x %d MiB, %d MiB parts, to s3proxy"
                + " (filesystem backend, loopback); load average %s%n", segments, segmentMib, partMib,
                ProcStats.loadAverage());
        System.out.printf("| step | MiB | seconds | MiB/s |%n| --- | ---: | ---: | ---: |%n");
        System.out.printf(Locale.ROOT, "| archive (hash + multipart upload + read-back verify + record + hot delete)"
                + " | %.0f | %.1f | %.1f |%n", mib, archiveSeconds, mib / archiveSeconds);
        System.out.printf(Locale.ROOT, "| restore (GET to local files) | %.0f | %.1f | %.1f |%n", restoredMib,
                restoreSeconds, restoredMib / restoreSeconds);
        Path csv = out.resolve("archive-bench.csv");
        Files.writeString(csv, String.format(Locale.ROOT,
                "step,segments,segment_mib,part_mib,mib,seconds,mib_per_s%n"
                        + "archive,%d,%d,%d,%.1f,%.3f,%.2f%nrestore,%d,%d,%d,%.1f,%.3f,%.2f%n",
                segments, segmentMib, partMib, mib, archiveSeconds, mib / archiveSeconds,
                segments, segmentMib, partMib, restoredMib, restoreSeconds, restoredMib / restoreSeconds));
        System.out.println("written: " + csv);
    }
}
