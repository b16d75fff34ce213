package dev.athanor.archive.testing;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.replication.Destination;
import dev.athanor.archive.replication.ReplicationCatalog;
import dev.athanor.archive.replication.ReplicationMetrics;
import dev.athanor.archive.replication.Replicator;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.tiering.ArchiveMetrics;
import dev.athanor.archive.tiering.Backoff;
import dev.athanor.archive.tiering.TieringSettings;
import dev.athanor.archive.tiering.TieringWorker;
import dev.athanor.archive.tiering.VerifyMode;
import dev.athanor.archive.tiering.WorkerLock;
import dev.athanor.index.testing.TestPostgres;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the archive's tiering, replication and scrub tests set up alike, as their base class: before
 * each test the migrated catalog database, a hot volume with an experiment ({@link HotLog}) under the
 * test's temporary folder, a clock the test moves and a meter registry; and the real tiering worker
 * (with replication, when a test gives it a destination) wired as the service wires it.
 */
public abstract class TieringFixture {

    /** The archive prefix under which the primary store keeps the logdir. */
    public static final String PREFIX = "athanor";
    /** The primary store's name in the catalog. */
    public static final String PRIMARY = "primary";

    /** The test's temporary folder: the hot volume and the replication scratch go under it. */
    @TempDir
    protected Path tmp;

    protected DataSource db;
    protected HotLog hot;
    protected MutableClock clock;
    protected SimpleMeterRegistry registry;

    @BeforeEach
    void setUpTiering() throws Exception {
        db = TestPostgres.migratedDataSource();
        hot = new HotLog(db, Files.createDirectories(tmp.resolve("hot")));
        clock = new MutableClock();
        registry = new SimpleMeterRegistry();
    }

    /** A destination name unique per test: the catalog database is shared by the test classes. */
    protected static String uniqueDestinationName() {
        return "dr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Tiering with no waits (no minimum age, no hot retention), automatic verification, the service's backoffs. */
    protected static TieringSettings settings(int batchSize, Optional<Duration> coldAfter) {
        return new TieringSettings(batchSize, Duration.ZERO, true, Duration.ZERO, coldAfter, VerifyMode.AUTO,
                new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)),
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    protected ArchiveCatalog catalog() {
        return new ArchiveCatalog(db, PRIMARY, Optional.of(hot.node()), clock);
    }

    protected ReplicationCatalog replicationCatalog() {
        return new ReplicationCatalog(db, PRIMARY, Optional.of(hot.node()));
    }

    /** The worker lock of {@code store} on this hot node. */
    protected WorkerLock lock(String store) {
        return new WorkerLock(db, WorkerLock.workerScope(store, Optional.of(hot.node())));
    }

    /** Replication of {@code primary} to one destination. */
    protected Replicator replicator(ObjectStore primary, Destination destination, ReplicationCatalog replication) {
        return new Replicator(List.of(destination), replication, primary, PREFIX, VerifyMode.AUTO,
                tmp.resolve("scratch"), new ReplicationMetrics(registry, List.of(destination.name())));
    }

    /** The tiering worker over {@code store}; {@code replicator} null: no replication. */
    protected TieringWorker worker(ObjectStore store, WorkerLock lock, TieringSettings settings,
                                   Replicator replicator) {
        return new TieringWorker(store, catalog(), new ArchiveLayout(PREFIX), new HotRoot(hot.hotRoot()), lock,
                new ArchiveMetrics(registry), settings, clock, replicator);
    }
}
