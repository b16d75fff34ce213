package dev.athanor.archive.scrub;

import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.tiering.ObjectVerifier;
import dev.athanor.archive.tiering.WorkerLock;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One scrub step: under the tiering worker's lock (so one replica of the service scrubs, and never
 * while a tiering pass runs), read a bounded batch of the copies checked longest ago and compare
 * size and CRC32C with the catalog. A damaged copy is recorded and stops counting as verified; the
 * tiering pass re-copies it from the hot file (segments whose hot file is kept, assets) or from the
 * primary (replicas). Progress lives in the catalog (scrubbed_at), so a restart continues in order.
 */
public final class Scrubber {

    private static final Logger LOG = Logger.getLogger(Scrubber.class);

    /** What one step did. */
    public record Result(Status status, int clean, long bytes, int damaged, int sizeOnly, int unchecked,
                         int repaired, String error) {
        static Result of(Status status, String error) {
            return new Result(status, 0, 0, 0, 0, 0, 0, error);
        }
    }

    public enum Status {
        RAN,
        /** Another replica (or this one's tiering pass) holds the worker lock. */
        STANDBY,
        DATABASE_ERROR
    }

    private final ScrubCatalog catalog;
    private final ObjectStore primary;
    private final Map<String, ObjectStore> destinations;
    private final WorkerLock lock;
    private final ScrubMetrics metrics;
    private final ScrubSettings settings;
    private final Clock clock;

    // Guarded by this.
    private Result last;

    /** @param destinations the configured replication destinations' stores by name (their replicas are scrubbed) */
    public Scrubber(ScrubCatalog catalog, ObjectStore primary, Map<String, ObjectStore> destinations, WorkerLock lock,
                    ScrubMetrics metrics, ScrubSettings settings, Clock clock) {
        this.catalog = catalog;
        this.primary = primary;
        this.destinations = Map.copyOf(destinations);
        this.lock = lock;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    /** The worker scope whose damage this scrubber finds (archive_damage.found_by). */
    public String scope() {
        return lock.scope();
    }

    public synchronized Optional<Result> lastStep() {
        return Optional.ofNullable(last);
    }

    public synchronized Result step() {
        Result result;
        try (var held = lock.tryAcquire().orElse(null)) {
            result = held == null
                    ? Result.of(Status.STANDBY, "another replica holds the worker lock for " + lock.scope())
                    : stepUnderLock();
        } catch (SQLException e) {
            metrics.failure("DATABASE");
            LOG.errorf(e, "scrub step stopped: the catalog is not usable");
            result = Result.of(Status.DATABASE_ERROR, "catalog: " + e.getMessage());
        }
        last = result;
        return result;
    }

    private Result stepUnderLock() throws SQLException {
        Instant started = clock.instant();
        int repaired = catalog.closeRepaired(started);
        if (repaired > 0) {
            LOG.infof("scrub: %d damaged copies are verified again (re-copied)", repaired);
        }
        List<ScrubTarget> due = catalog.due(started.minus(settings.every()), List.copyOf(destinations.keySet()),
                settings.batchObjects());
        int clean = 0;
        int damaged = 0;
        int sizeOnly = 0;
        int unchecked = 0;
        long bytes = 0;
        Set<String> unusable = new HashSet<>();
        for (ScrubTarget target : due) {
            if (bytes >= settings.batchBytes()) {
                break;
            }
            ObjectStore store = target.kind() == ScrubTarget.Kind.REPLICA ? destinations.get(target.store()) : primary;
            if (unusable.contains(target.store())) {
                unchecked++;
                continue;
            }
            try {
                String problem = null;
                String damage = null;
                boolean readable = target.tier() != StorageTier.COLD
                        || store.readability(target.objectKey()).state() == Readability.State.READABLE;
                try {
                    if (readable) {
                        new ObjectVerifier(store, settings.verifyMode()).verify(target.objectKey(), target.size(),
                                target.crc32c());
                    } else {
                        checkSize(store, target);
                    }
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.NOT_FOUND) {
                        damage = "MISSING";
                    } else if (e.reason() == StoreException.Reason.CHECKSUM_MISMATCH) {
                        damage = "MISMATCH";
                    } else {
                        throw e;
                    }
                    problem = e.getMessage();
                }
                Instant at = clock.instant();
                if (damage == null) {
                    catalog.recordClean(target, at);
                    metrics.checked(target.kind(), readable ? "CLEAN" : "SIZE_ONLY", target.size());
                    if (readable) {
                        clean++;
                        bytes += target.size();
                    } else {
                        sizeOnly++;
                    }
                } else if (catalog.recordDamage(target, damage, problem, lock.scope(), at)) {
                    damaged++;
                    bytes += target.size();
                    metrics.checked(target.kind(), "DAMAGED", target.size());
                    LOG.errorf("scrub: %s copy %s in '%s' is damaged (%s): %s; %s", target.kind(), target.uri(),
                            target.store(), damage, problem, describe(target.repair()));
                }
            } catch (StoreException e) {
                // The store, not the copy: check this store's copies again next step.
                unusable.add(target.store());
                unchecked++;
                metrics.failure(e.reason().name());
                LOG.warnf("scrub: '%s' could not be checked this step: %s", target.store(), e.getMessage());
            }
        }
        long open = catalog.openDamage(Optional.of(lock.scope()));
        metrics.stepDone(clock.instant(), open);
        if (clean + damaged + sizeOnly > 0) {
            LOG.infof("scrub step: %d copies clean (%d bytes read), %d damaged, %d size-only (cold), %d not checked;"
                    + " %d damaged copies open", clean, bytes, damaged, sizeOnly, unchecked, open);
        }
        return new Result(Status.RAN, clean, bytes, damaged, sizeOnly, unchecked, repaired, null);
    }

    /** A cold copy that needs a restore to be read: at least its size must still match. */
    private static void checkSize(ObjectStore store, ScrubTarget target) throws StoreException {
        ObjectInfo info = store.head(target.objectKey()).orElseThrow(() -> new StoreException(
                StoreException.Reason.NOT_FOUND, target.objectKey() + " is not in " + store.location()));
        if (info.size() != target.size()) {
            throw new StoreException(StoreException.Reason.CHECKSUM_MISMATCH, "%s in %s holds %d bytes, expected %d"
                    .formatted(target.objectKey(), store.location(), info.size(), target.size()));
        }
    }

    private static String describe(ScrubTarget.Repair repair) {
        return switch (repair) {
            case RECOPY_FROM_HOT -> "the next tiering pass copies it again from the hot file";
            case RECOPY_FROM_PRIMARY -> "the next tiering pass copies it again from the primary store";
            case NONE -> "its hot file is gone: restore the object by hand (e.g. from a replica)";
        };
    }
}
