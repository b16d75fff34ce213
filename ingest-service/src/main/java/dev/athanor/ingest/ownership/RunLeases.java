package dev.athanor.ingest.ownership;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The run_lease table: every statement that acquires, renews, releases or reads a run's lease.
 * Row-level atomicity of one upsert is the only coordination; no consensus protocol of our own.
 */
public final class RunLeases {

    // A replica takes the run when nobody holds it, the holder's lease expired, or it is the
    // holder itself (restarted: the old incarnation is fenced by the new epoch).
    private static final String ACQUIRE = """
            INSERT INTO run_lease AS l (run_id, owner, owner_address, epoch, expires_at)
            VALUES (?, ?, ?, 1, now() + make_interval(secs => ?))
            ON CONFLICT (run_id) DO UPDATE
               SET owner = excluded.owner, owner_address = excluded.owner_address, epoch = l.epoch + 1,
                   expires_at = excluded.expires_at, acquired_at = now(), renewed_at = now()
             WHERE l.owner = excluded.owner OR l.expires_at <= now()
            RETURNING l.epoch""";

    private static final String RENEW = """
            UPDATE run_lease l
               SET expires_at = now() + make_interval(secs => ?), renewed_at = now()
              FROM unnest(?::bigint[], ?::bigint[]) AS held (run_id, epoch)
             WHERE l.run_id = held.run_id AND l.epoch = held.epoch AND l.owner = ? AND l.expires_at > now()
            RETURNING l.run_id""";

    private static final String RELEASE = """
            UPDATE run_lease SET expires_at = now() WHERE run_id = ? AND owner = ? AND epoch = ?""";

    private static final String HOLDER = """
            SELECT owner, owner_address, epoch, expires_at FROM run_lease WHERE run_id = ?""";

    private final DataSource dataSource;
    private final String node;
    private final String address;
    private final Duration ttl;

    /**
     * @param node    this replica's name (raw_segment.ingest_node)
     * @param address where other replicas and query-service reach this replica's internal gRPC
     * @param ttl     how long a lease lasts without renewal
     */
    public RunLeases(DataSource dataSource, String node, String address, Duration ttl) {
        this.dataSource = dataSource;
        this.node = node;
        this.address = address;
        this.ttl = ttl;
    }

    public String node() {
        return node;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Takes the run's lease under a new epoch, or says who holds it. */
    public RunLease acquire(long runId) throws SQLException, LeaseRefusedException {
        long sentAt = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
            ps.setLong(1, runId);
            ps.setString(2, node);
            ps.setString(3, address);
            ps.setDouble(4, seconds(ttl));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new RunLease(runId, node, rs.getLong(1), sentAt, ttl);
                }
            }
            // Refused: read the holder in the same connection (it may have expired since; the
            // caller then simply acquires again).
            Optional<LeaseHolder> holder = holder(c, runId);
            throw new LeaseRefusedException(holder.orElseThrow(
                    () -> new SQLException("run_lease row of run " + runId + " vanished during acquisition")));
        }
    }

    /**
     * Extends every lease in {@code held} in one statement. Leases the database no longer grants
     * this replica (expired, or taken under a later epoch) are marked lost and returned.
     */
    public Set<RunLease> renew(Collection<RunLease> held) throws SQLException {
        if (held.isEmpty()) {
            return Set.of();
        }
        long sentAt = System.nanoTime();
        Long[] runIds = held.stream().map(RunLease::runId).toArray(Long[]::new);
        Long[] epochs = held.stream().map(RunLease::epoch).toArray(Long[]::new);
        Set<Long> renewed = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RENEW)) {
            Array ids = c.createArrayOf("bigint", runIds);
            Array eps = c.createArrayOf("bigint", epochs);
            ps.setDouble(1, seconds(ttl));
            ps.setArray(2, ids);
            ps.setArray(3, eps);
            ps.setString(4, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    renewed.add(rs.getLong(1));
                }
            }
        }
        Set<RunLease> lost = new HashSet<>();
        for (RunLease lease : held) {
            if (renewed.contains(lease.runId())) {
                lease.extend(sentAt, ttl);
            } else {
                lease.markLost();
                lost.add(lease);
            }
        }
        return lost;
    }

    /** Gives the run up at once (drain): the next replica to receive one of its batches takes it. */
    public void release(RunLease lease) throws SQLException {
        lease.markLost();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE)) {
            ps.setLong(1, lease.runId());
            ps.setString(2, lease.owner());
            ps.setLong(3, lease.epoch());
            ps.executeUpdate();
        }
    }

    /** Who holds (or last held) the run's lease; empty for a run never written. */
    public Optional<LeaseHolder> holder(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return holder(c, runId);
        }
    }

    private static Optional<LeaseHolder> holder(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HOLDER)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LeaseHolder(runId, rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant()));
            }
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
