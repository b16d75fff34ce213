package dev.athanor.ingest.ownership;

import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.rawlog.RawLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * This replica's run leases as a service: the writer asks {@link #lease(long)} before appending.
 * Its renewal rounds also keep this replica's ingest_node row (name, address) fresh.
 * At shutdown (a drain: scale-down, upgrade, node drain) the leases are released only after the
 * raw log has sealed and committed every open run and the indexer has indexed it, so the next
 * owner starts from recorded offsets, indexes on at once and does not wait for the TTL.
 */
@ApplicationScoped
@Startup // announce this replica (ingest_node) at start, not at its first batch
public class Ownership {

    private static final Logger LOG = Logger.getLogger(Ownership.class);

    /** After the raw log sealed and committed and the indexer indexed it (RawLog.SEAL_AT_SHUTDOWN, IndexScheduler.INDEX_AT_SHUTDOWN). */
    static final int RELEASE_AFTER_RAW_LOG = 3000;

    private final LeaseKeeper keeper;
    private final RunLeases leases;
    private final String node;

    public Ownership(AgroalDataSource dataSource, RawLog rawLog, IngestConfig config) {
        String address = config.ownership().advertisedAddress();
        this.node = rawLog.node();
        this.leases = new RunLeases(dataSource, rawLog.node(), address, config.ownership().leaseTtl());
        NodeRegistry registry = new NodeRegistry(dataSource, rawLog.node(), address);
        this.keeper = new LeaseKeeper(leases, lost -> LOG.warnf(
                "%s: another replica owns this run now; its next appends here are refused", lost), registry::announce);
    }

    /** The valid lease this replica holds on the run, acquired under a new epoch if needed. */
    public RunLease lease(long runId) throws java.sql.SQLException, LeaseRefusedException {
        return keeper.lease(runId);
    }

    /**
     * The other replica that holds the run's lease now (by the database's expiry, read here), if
     * any: where calls that must act on the run's open segment go.
     */
    public java.util.Optional<LeaseHolder> otherLiveHolder(long runId) throws java.sql.SQLException {
        return leases.holder(runId).filter(h -> !h.owner().equals(node) && h.expiresAt().isAfter(java.time.Instant.now()));
    }

    void onShutdown(@Observes @Priority(RELEASE_AFTER_RAW_LOG) ShutdownEvent event) {
        int released = keeper.releaseAll();
        LOG.infof("drained: released %d run leases", released);
    }
}
