package dev.athanor.ingest.ownership;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The leases this replica holds: taken when a run is first written here, renewed together every
 * third of the TTL while held, given up when the run goes idle or the replica drains. A renewal
 * that fails (PostgreSQL down) leaves the leases valid until their local deadline, so writing
 * continues through a short outage and stops, never unsafely, through a long one.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final RunLeases leases;
    private final Consumer<RunLease> onLost;
    private final Map<Long, RunLease> held = new ConcurrentHashMap<>();
    private final Object[] acquiring = new Object[64];
    private final ScheduledExecutorService renewer;
    private final Heartbeat heartbeat;

    /** Work done on every renewal round besides renewing. */
    @FunctionalInterface
    public interface Heartbeat {
        void beat() throws SQLException;
    }

    /** @param onLost told of each lease found taken over or expired, so the run's writer can close */
    public LeaseKeeper(RunLeases leases, Consumer<RunLease> onLost) {
        this(leases, onLost, () -> { });
    }

    /** @param heartbeat run on the renewal thread every round, e.g. announcing this replica */
    public LeaseKeeper(RunLeases leases, Consumer<RunLease> onLost, Heartbeat heartbeat) {
        this.leases = leases;
        this.onLost = onLost;
        this.heartbeat = heartbeat;
        java.util.Arrays.setAll(acquiring, i -> new Object());
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("athanor-lease-renewal").daemon().factory());
        long period = Math.max(1, leases.ttl().toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewAll, 0, period, TimeUnit.MILLISECONDS);
    }

    /** The valid lease this replica holds on the run, acquiring it (under a new epoch) if needed. */
    public RunLease lease(long runId) throws SQLException, LeaseRefusedException {
        RunLease current = held.get(runId);
        if (current != null && current.isValid()) {
            return current;
        }
        // One acquisition per run at a time; runs of other streams (or prepared ahead) acquire side by side.
        synchronized (acquiring[Math.floorMod(Long.hashCode(runId), acquiring.length)]) {
            current = held.get(runId);
            if (current != null && current.isValid()) {
                return current;
            }
            RunLease acquired = leases.acquire(runId);
            held.put(runId, acquired);
            return acquired;
        }
    }

    /** The lease held on the run, valid or not, if any. */
    public RunLease held(long runId) {
        return held.get(runId);
    }

    /** Gives the run up (idle, or handed over). */
    public void release(long runId) throws SQLException {
        RunLease lease = held.remove(runId);
        if (lease != null && !lease.isLost()) {
            leases.release(lease);
        }
    }

    /** Drain: gives every run up; stops renewing. Returns how many were released. */
    public int releaseAll() {
        renewer.shutdownNow();
        int released = 0;
        for (Long runId : List.copyOf(held.keySet())) {
            try {
                release(runId);
                released++;
            } catch (SQLException e) {
                // It expires on its own after the TTL; the next owner waits that long at most.
                LOG.warnf("run %d: releasing its lease failed (%s); it expires on its own", runId, e.getMessage());
            }
        }
        return released;
    }

    void renewAll() {
        try {
            heartbeat.beat();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("heartbeat failed: %s", e.getMessage());
        }
        List<RunLease> current = new ArrayList<>(held.values());
        try {
            for (RunLease lost : leases.renew(current)) {
                held.remove(lost.runId(), lost);
                LOG.warnf("%s: no longer held by this replica; appends to it are refused", lost);
                onLost.accept(lost);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("renewing %d run leases failed (%s); they stay valid here until their deadline", current.size(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
