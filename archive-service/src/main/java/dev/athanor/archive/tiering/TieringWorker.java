package dev.athanor.archive.tiering;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.catalog.ArchivedObject;
import dev.athanor.archive.catalog.SegmentToArchive;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.policy.PurgeSweeper;
import dev.athanor.archive.policy.RetentionSweeper;
import dev.athanor.archive.policy.RunRemover;
import dev.athanor.archive.replication.Replicator;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.rawlog.HotRoot;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The periodic tiering loop. Each pass, if this replica holds the worker lock: check the store is
 * usable, copy and verify sealed segments, remove hot files whose copies are verified, move old
 * warm copies to the cold tier, refresh the gauges. Every step reads its work from the catalog,
 * so a pass that was killed half-way simply continues at the next one.
 */
public final class TieringWorker {

    private static final Logger LOG = Logger.getLogger(TieringWorker.class);

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final WorkerLock lock;
    private final ArchiveMetrics metrics;
    private final TieringSettings settings;
    private final Clock clock;
    private final SegmentArchiver archiver;
    private final HotCleaner cleaner;
    private final RetentionSweeper retention;
    private final PurgeSweeper purges;
    private final AssetArchiver assets;
    private final Replicator replicator;

    // Guarded by this.
    private int consecutiveFailures;
    private Instant nextPassAt = Instant.MIN;
    private boolean swept;
    private PassSummary last;

    public TieringWorker(ObjectStore store, ArchiveCatalog catalog, ArchiveLayout layout, HotRoot hotRoot,
                         WorkerLock lock, ArchiveMetrics metrics, TieringSettings settings, Clock clock) {
        this(store, catalog, layout, hotRoot, lock, metrics, settings, clock, null);
    }

    /** @param replicator copies requested experiments to other stores each pass; null: no replication */
    public TieringWorker(ObjectStore store, ArchiveCatalog catalog, ArchiveLayout layout, HotRoot hotRoot,
                         WorkerLock lock, ArchiveMetrics metrics, TieringSettings settings, Clock clock,
                         Replicator replicator) {
        this.replicator = replicator;
        this.store = store;
        this.catalog = catalog;
        this.lock = lock;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.archiver = new SegmentArchiver(store, catalog, layout, hotRoot, settings.verifyMode(),
                settings.segmentBackoff(), clock);
        this.cleaner = new HotCleaner(store, catalog, hotRoot);
        RunRemover remover = new RunRemover(store, catalog, hotRoot, clock,
                name -> replicator == null ? Optional.empty() : replicator.destinationStore(name));
        this.retention = new RetentionSweeper(catalog, remover, clock);
        this.purges = new PurgeSweeper(catalog, remover);
        this.assets = new AssetArchiver(store, catalog, layout, hotRoot, new ObjectVerifier(store, settings.verifyMode()));
    }

    /** A scheduled tick: a pass unless an earlier failure asks to wait. */
    public synchronized PassSummary tick() {
        Instant now = clock.instant();
        if (now.isBefore(nextPassAt)) {
            return PassSummary.of(PassSummary.Status.BACKING_OFF, now, Duration.ZERO,
                    "waiting until " + nextPassAt + " after " + consecutiveFailures + " failed passes");
        }
        return runPass();
    }

    /** The last pass's summary, if any pass ran. */
    public synchronized Optional<PassSummary> lastPass() {
        return Optional.ofNullable(last);
    }

    /** One pass now, whatever the backoff says (an operator asked for it). */
    public synchronized PassSummary runPass() {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        PassSummary summary;
        try (var held = lock.tryAcquire().orElse(null)) {
            if (held == null) {
                summary = PassSummary.of(PassSummary.Status.STANDBY, started, Duration.ZERO,
                        "another replica holds the worker lock for " + lock.scope());
            } else {
                summary = passUnderLock(started, t0);
            }
        } catch (SQLException e) {
            metrics.failure("DATABASE");
            LOG.errorf(e, "tiering pass stopped: the catalog is not usable");
            summary = failedPass(PassSummary.Status.DATABASE_ERROR, started, t0, "catalog: " + e.getMessage());
        }
        last = summary;
        return summary;
    }

    private PassSummary passUnderLock(Instant started, long t0) throws SQLException {
        try {
            store.checkAccess();
        } catch (StoreException e) {
            metrics.failure(e.reason().name());
            LOG.errorf("tiering pass skipped, nothing copied or deleted: %s", e.getMessage());
            return failedPass(PassSummary.Status.STORE_UNAVAILABLE, started, t0, e.getMessage());
        }
        if (!swept) {
            int removed = cleaner.sweep();
            if (removed > 0) {
                LOG.infof("removed %d hot files whose removal was recorded before a stop", removed);
            }
            swept = true;
        }
        int archived = 0;
        int failed = 0;
        int refused = 0;
        int notHere = 0;
        long archivedBytes = 0;
        for (SegmentToArchive segment : catalog.segmentsToArchive(settings.minSealedAge(), settings.batchSize())) {
            switch (archiver.archive(segment)) {
                case SegmentArchiver.Outcome.Verified v -> {
                    archived++;
                    archivedBytes += v.bytes();
                    metrics.archived(v.bytes(), v.method());
                }
                case SegmentArchiver.Outcome.Failed f -> {
                    failed++;
                    metrics.failure(f.reason().name());
                }
                case SegmentArchiver.Outcome.Refused r -> {
                    refused++;
                    metrics.failure("REFUSED");
                }
                case SegmentArchiver.Outcome.NotHere n -> notHere++;
            }
        }
        int assetsArchived = assets.archive(settings.batchSize());
        if (assetsArchived > 0) {
            LOG.infof("tiering pass: %d run asset files archived", assetsArchived);
        }
        if (replicator != null) {
            // Before cooling: a replica is read from the primary copy while it is still warm.
            Replicator.Result replicated = replicator.replicate(settings.batchSize());
            if (replicated.copied() + replicated.failed() > 0) {
                LOG.infof("tiering pass: %d replicas copied (%d bytes), %d already verified there, %d failed",
                        replicated.copied(), replicated.copiedBytes(), replicated.alreadyThere(), replicated.failed());
            }
        }
        HotCleaner.Result cleaned = new HotCleaner.Result(0, 0, 0);
        if (settings.deleteHot()) {
            cleaned = cleaner.deleteVerified(settings.keepHotFor(), settings.batchSize());
            metrics.hotDeleted(cleaned.deleted(), cleaned.bytes());
        }
        // Project policies may set a cold-after even when the service has none.
        int cooled = cool(settings.coldAfter());
        RetentionSweeper.Result expired = retention.sweep(settings.batchSize());
        RetentionSweeper.Result purged = purges.sweep(settings.batchSize());
        metrics.totals(catalog.totals());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        metrics.passes().record(took);
        synchronized (this) {
            consecutiveFailures = 0;
            nextPassAt = Instant.MIN;
        }
        if (archived + failed + refused + cleaned.deleted() + cooled + expired.runs() + purged.runs() > 0) {
            LOG.infof("tiering pass: %d segments archived (%d bytes), %d failed, %d refused, %d hot files removed, %d cooled,"
                    + " %d runs deleted by retention, %d runs purged, in %d ms", archived, archivedBytes, failed, refused,
                    cleaned.deleted(), cooled, expired.runs(), purged.runs(), took.toMillis());
        }
        return new PassSummary(PassSummary.Status.RAN, started, took, archived, archivedBytes, failed, refused, notHere,
                cleaned.deleted(), cleaned.bytes(), cooled, expired.runs(), null);
    }

    /** Moves verified warm copies of long-finished runs to the cold tier. */
    private int cool(Optional<Duration> defaultColdAfter) throws SQLException {
        int cooled = 0;
        for (ArchivedObject o : catalog.objectsToCool(defaultColdAfter, settings.batchSize())) {
            try {
                store.setTier(o.objectKey(), StorageTier.COLD);
                ObjectInfo after = store.head(o.objectKey()).orElseThrow(() -> new StoreException(
                        StoreException.Reason.NOT_FOUND, o.objectKey() + " vanished while changing tier"));
                if (after.tier() != StorageTier.COLD || after.size() != o.sizeBytes()) {
                    throw new StoreException(StoreException.Reason.UNAVAILABLE, "after the tier change " + o.objectKey()
                            + " reports tier " + after.tier() + " and " + after.size() + " bytes");
                }
                catalog.recordTier(o.id(), StorageTier.COLD);
                metrics.cooled();
                cooled++;
            } catch (StoreException e) {
                metrics.failure(e.reason().name());
                LOG.warnf("could not move %s to the cold tier: %s", o.uri(), e.getMessage());
            }
        }
        return cooled;
    }

    private PassSummary failedPass(PassSummary.Status status, Instant started, long t0, String error) {
        consecutiveFailures++;
        nextPassAt = clock.instant().plus(settings.passBackoff().after(consecutiveFailures));
        return PassSummary.of(status, started, Duration.ofNanos(System.nanoTime() - t0), error);
    }
}
