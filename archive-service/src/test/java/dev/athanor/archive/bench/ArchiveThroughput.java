package dev.athanor.archive.bench;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.store.testing.S3ProxyServer;
import dev.athanor.index.testing.TestPostgres;
import dev.athanor.archive.tiering.ArchiveMetrics;
import dev.athanor.archive.tiering.Backoff;
import dev.athanor.archive.tiering.PassSummary;
import dev.athanor.archive.tiering.TieringSettings;
import dev.athanor.archive.tiering.TieringWorker;
import dev.athanor.archive.tiering.VerifyMode;
import dev.athanor.archive.tiering.WorkerLock;
import dev.athanor.rawlog.HotRoot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Archive and restore throughput against a local S3 API server (s3proxy, filesystem backend, child
 * JVM), through the real tiering pass: hash the hot file, upload (multipart), verify by reading
 * back, record, delete the hot file. Prints a table; asserts nothing.
 *
 * <pre>
 * ./mvnw -B -q -o -pl archive-service test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.athanor.archive.bench.ArchiveThroughput -Dexec.args="1024 128" \
 *     -Dathanor.test.s3proxy.jar=archive-service/target/s3proxy/s3proxy.jar
 * </pre>
 * Arguments: total MiB (default 1024), segment MiB (default 128, ingest's default segment size),
 * part MiB (default 8, the service's default).
 */
public final class ArchiveThroughput {

    public static void main(String[] args) throws Exception {
        int totalMib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int segmentMib = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int partMib = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int segments = Math.max(1, totalMib / segmentMib);
        Path work = Files.createTempDirectory("athanor-archive-bench-");
        S3ProxyServer server = S3ProxyServer.startFilesystemBacked(Files.createDirectories(work.resolve("s3")));
        try {
            server.createBucket("bench");
            DataSource db = TestPostgres.migratedDataSource();
            HotLog hot = new HotLog(db, Files.createDirectories(work.resolve("hot")));
            HotLog.Run run = hot.run("bench", "FINISHED");
            byte[] block = new byte[1 << 20];
            new Random(7).nextBytes(block);
            long bytes = 0;
            for (int i = 0; i < segments; i++) {
                // Segments of incompressible bytes; the archive treats segments as opaque.
                HotLog.Segment s = hot.segment(run, 1);
                try (OutputStream out = Files.newOutputStream(s.file())) {
                    for (int m = 0; m < segmentMib; m++) {
                        block[0] = (byte) i;
                        block[1] = (byte) m;
                        out.write(block);
                    }
                }
                long size = Files.size(s.file());
                bytes += size;
                try (var c = db.getConnection(); var ps = c.prepareStatement("UPDATE raw_segment SET size_bytes = ? WHERE id = ?")) {
                    ps.setLong(1, size);
                    ps.setLong(2, s.id());
                    ps.executeUpdate();
                }
            }
            var base = server.settings("bench");
            // The service's defaults: parts above 16 MiB, of partMib each.
            var s3 = new dev.athanor.archive.store.s3.S3Settings(base.endpoint(), base.region(), base.bucket(), true,
                    base.accessKeyId(), base.secretAccessKey(), base.sse(), base.kmsKeyId(), base.warmClass(),
                    base.coldClass(), 16L << 20, (long) partMib << 20, base.restoreTier());
            try (S3ObjectStore store = new S3ObjectStore(s3)) {
                TieringSettings settings = new TieringSettings(1000, Duration.ZERO, true, Duration.ZERO, Optional.empty(),
                        VerifyMode.AUTO, new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)),
                        new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
                TieringWorker worker = new TieringWorker(store,
                        new ArchiveCatalog(db, "bench", Optional.of(hot.node()), Clock.systemUTC()),
                        new ArchiveLayout("athanor"), new HotRoot(hot.hotRoot()), new WorkerLock(db, "bench/" + hot.node()),
                        new ArchiveMetrics(new SimpleMeterRegistry()), settings, Clock.systemUTC());
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
                    Path target = restored.resolve(o.key().replace('/', '_'));
                    try (InputStream in = store.get(o.key())) {
                        restoredBytes += Files.copy(in, target);
                    }
                }
                double restoreSeconds = (System.nanoTime() - t1) / 1e9;
                // Spot-check one restored segment against what was archived.
                ObjectInfo first = objects.getFirst();
                Crc32c.Digest digest = Crc32c.of(restored.resolve(first.key().replace('/', '_')));
                if (digest.size() != first.size()) {
                    throw new IllegalStateException("restored " + first.key() + " has " + digest.size() + " bytes");
                }

                double mib = bytes / (1024.0 * 1024.0);
                System.out.println();
                System.out.printf("archive-service throughput: %d segments x %d MiB, %d MiB parts, to s3proxy 3.3.0 (filesystem backend, loopback)%n",
                        segments, segmentMib, partMib);
                System.out.printf("| step | MiB | seconds | MiB/s |%n| --- | ---: | ---: | ---: |%n");
                System.out.printf("| archive (hash + multipart upload + read-back verify + record + hot delete) | %.0f | %.1f | %.1f |%n",
                        mib, archiveSeconds, mib / archiveSeconds);
                System.out.printf("| restore (GET to local files) | %.0f | %.1f | %.1f |%n",
                        restoredBytes / (1024.0 * 1024.0), restoreSeconds, restoredBytes / (1024.0 * 1024.0) / restoreSeconds);
            }
        } finally {
            server.stop();
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }
}
