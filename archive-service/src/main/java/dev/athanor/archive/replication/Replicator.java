package dev.athanor.archive.replication;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.tiering.VerifyMode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One replication step of a tiering pass: for each destination that is usable, copy (or just
 * re-verify) up to a batch of objects the catalog says have no verified replica there, and record
 * each outcome. Runs only under the tiering worker's lock, so one replica of the service copies.
 */
public final class Replicator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Replicator.class);

    /** What a step did, summed over destinations. */
    public record Result(int copied, long copiedBytes, int alreadyThere, int failed) {
    }

    private final List<Destination> destinations;
    private final ReplicationCatalog catalog;
    private final ReplicaCopier copier;
    private final String primaryPrefix;
    private final ReplicationMetrics metrics;

    public Replicator(List<Destination> destinations, ReplicationCatalog catalog,
                      ObjectStore primary, String primaryPrefix, VerifyMode mode,
                      Path scratch, ReplicationMetrics metrics) {
        this.destinations = List.copyOf(destinations);
        this.catalog = catalog;
        this.copier = new ReplicaCopier(primary, mode, scratch);
        this.primaryPrefix = primaryPrefix;
        this.metrics = metrics;
    }

    /** Closes the destination stores (not the primary, which the caller owns). */
    @Override
    public void close() throws IOException {
        for (Destination d : destinations) {
            d.store().close();
        }
    }

    /** The store of a configured destination (purges delete replicas there). */
    public java.util.Optional<ObjectStore> destinationStore(String name) {
        return destinations.stream().filter(d -> d.name().equals(name)).map(Destination::store).findFirst();
    }

    public List<String> destinationNames() {
        return destinations.stream().map(Destination::name).toList();
    }

    public Result replicate(int batchSize) throws SQLException {
        int copied = 0;
        long bytes = 0;
        int there = 0;
        int failed = 0;
        for (Destination d : destinations) {
            try {
                d.store().checkAccess();
            } catch (StoreException e) {
                metrics.failure(d.name(), e.reason().name());
                LOG.errorf("replication to '%s' skipped this pass: %s", d.name(), e.getMessage());
                failed++;
                continue;
            }
            for (ReplicationCatalog.Source s : catalog.toReplicate(d.name(), batchSize)) {
                String key = d.keyOf(s.primaryKey(), primaryPrefix);
                String uri;
                try {
                    uri = d.store().uri(key).toString();
                } catch (StoreException e) {
                    failed++;
                    metrics.failure(d.name(), e.reason().name());
                    LOG.warnf("cannot name %s in '%s': %s", key, d.name(), e.getMessage());
                    continue;
                }
                try {
                    ReplicaCopier.Copied c = copier.copy(s, d, key);
                    catalog.record(s, d.name(), uri, key, null);
                    if (c.copied()) {
                        copied++;
                        bytes += c.bytes();
                        metrics.replicated(d.name(), c.bytes());
                    } else {
                        there++;
                    }
                } catch (StoreException e) {
                    failed++;
                    metrics.failure(d.name(), e.reason().name());
                    LOG.warnf("replica of %s in '%s' not made: %s", s.primaryKey(), d.name(), e.getMessage());
                    catalog.record(s, d.name(), uri, key, "[" + e.reason() + "] " + e.getMessage());
                } catch (IOException e) {
                    failed++;
                    metrics.failure(d.name(), "IO");
                    LOG.warnf("replica of %s in '%s' not made: %s", s.primaryKey(), d.name(), e);
                    catalog.record(s, d.name(), uri, key, "[IO] " + e);
                }
            }
            metrics.backlog(d.name(), catalog.backlog(d.name()));
        }
        return new Result(copied, bytes, there, failed);
    }
}
