package dev.athanor.ingest.ownership;

import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.rawlog.RawLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * This replica's run leases as a service: the writer asks {@link #lease(long)} before appending.
 * At shutdown (a drain: scale-down, upgrade, node drain) the leases are released only after the
 * raw log has sealed and committed every open run, so the next owner starts from durable data
 * and does not wait for the TTL.
 */
@ApplicationScoped
public class Ownership {

    private static final Logger LOG = Logger.getLogger(Ownership.class);

    /** After RawLog's own shutdown (default observer priority 2500): seal and commit first. */
    static final int RELEASE_AFTER_RAW_LOG = 3000;

    private final LeaseKeeper keeper;

    public Ownership(AgroalDataSource dataSource, RawLog rawLog, IngestConfig config) {
        RunLeases leases = new RunLeases(dataSource, rawLog.node(), config.ownership().advertisedAddress(),
                config.ownership().leaseTtl());
        this.keeper = new LeaseKeeper(leases, lost -> LOG.warnf(
                "%s: another replica owns this run now; its next appends here are refused", lost));
    }

    /** The valid lease this replica holds on the run, acquired under a new epoch if needed. */
    public RunLease lease(long runId) throws java.sql.SQLException, LeaseRefusedException {
        return keeper.lease(runId);
    }

    void onShutdown(@Observes @Priority(RELEASE_AFTER_RAW_LOG) ShutdownEvent event) {
        int released = keeper.releaseAll();
        LOG.infof("drained: released %d run leases", released);
    }
}
