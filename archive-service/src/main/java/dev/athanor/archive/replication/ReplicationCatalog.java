package dev.athanor.archive.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The replication rows of the catalog: which experiments go to which destination
 * (archive_replication), and each copy made there (archive_replica). Work is always read from
 * here, so a pass that stopped half-way continues at the next one.
 */
public final class ReplicationCatalog {

    /** What to copy: a primary object (segment) or asset copy, as the primary store holds it. */
    public record Source(Kind kind, long id, long runId, String primaryKey, long size, long crc32c) {
    }

    public enum Kind { SEGMENT, ASSET }

    /** One replica as the REST endpoint lists it. */
    public record Replica(String kind, long sourceId, long runId, String destination, String uri, long sizeBytes,
                          long crc32c, String state, int attempts, String lastError, String verifiedAt) {
    }

    /** Counts for one destination: verified, waiting (no verified copy yet) and failed copies. */
    public record Backlog(long verified, long verifiedBytes, long pending, long failed) {
    }

    private final DataSource dataSource;
    private final String primaryStore;
    private final String node;

    /**
     * @param primaryStore archive_object.store / archive_asset.store of the copies to replicate
     * @param node         only objects written by this ingest node, as the tiering worker's lock is
     *                     scoped (empty: all), so two nodes' workers never copy the same object
     */
    public ReplicationCatalog(DataSource dataSource, String primaryStore, Optional<String> node) {
        this.dataSource = dataSource;
        this.primaryStore = primaryStore;
        this.node = node.orElse(null);
    }

    /** The experiment's id, if {@code project}/{@code experiment} exists. */
    public Optional<Long> experimentId(String project, String experiment) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT e.id FROM experiment e JOIN project p ON p.id = e.project_id WHERE p.name = ? AND e.name = ?""")) {
            ps.setString(1, project);
            ps.setString(2, experiment);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Records the request (again: no change); returns whether it is new. */
    public boolean request(long experimentId, String destination, String by) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO archive_replication (experiment_id, destination, requested_by) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setLong(1, experimentId);
            ps.setString(2, destination);
            ps.setString(3, by);
            return ps.executeUpdate() == 1;
        }
    }

    /** Asks the next pass to check the experiment's verified copies in {@code destination} again. */
    public int reverify(long experimentId, String destination) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE archive_replica x SET state = 'PENDING', updated_at = now()
                FROM run r WHERE r.id = x.run_id AND r.experiment_id = ? AND x.destination = ? AND x.state = 'VERIFIED'""")) {
            ps.setLong(1, experimentId);
            ps.setString(2, destination);
            return ps.executeUpdate();
        }
    }

    /** Destinations the experiment was asked to be replicated to. */
    public List<String> requestedDestinations(long experimentId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT destination FROM archive_replication WHERE experiment_id = ? ORDER BY destination")) {
            ps.setLong(1, experimentId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * Verified primary copies of experiments requested for {@code destination} that have no
     * verified replica there (missing, FAILED or PENDING re-verification), oldest first.
     */
    public List<Source> toReplicate(String destination, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM (" + WAITING + ") w ORDER BY kind DESC, id LIMIT ?")) {
            int next = bindWaiting(ps, 0, destination);
            ps.setInt(next + 1, limit);
            List<Source> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Source(Kind.valueOf(rs.getString("kind")), rs.getLong("id"), rs.getLong("run_id"),
                            rs.getString("object_key"), rs.getLong("size_bytes"), rs.getLong("crc32c")));
                }
            }
            return out;
        }
    }

    private static final String WAITING = """
            SELECT 'SEGMENT' AS kind, o.id, o.run_id, o.object_key, o.size_bytes, o.crc32c
            FROM archive_object o JOIN run r ON r.id = o.run_id JOIN raw_segment g ON g.id = o.segment_id
            JOIN archive_replication q ON q.experiment_id = r.experiment_id AND q.destination = ?
            LEFT JOIN archive_replica x ON x.object_id = o.id AND x.destination = ?
            WHERE o.store = ? AND o.state = 'VERIFIED' AND (x.id IS NULL OR x.state <> 'VERIFIED')
              AND (?::text IS NULL OR g.ingest_node = ?)
            UNION ALL
            SELECT 'ASSET' AS kind, a.id, a.run_id, a.object_key, a.size_bytes, a.crc32c
            FROM archive_asset a JOIN run r ON r.id = a.run_id JOIN run_asset ra ON ra.id = a.asset_id
            JOIN archive_replication q ON q.experiment_id = r.experiment_id AND q.destination = ?
            LEFT JOIN archive_replica x ON x.asset_id = a.id AND x.destination = ?
            WHERE a.store = ? AND a.state = 'VERIFIED' AND (x.id IS NULL OR x.state <> 'VERIFIED')
              AND (?::text IS NULL OR ra.ingest_node = ?)""";

    /** Binds WAITING's parameters after parameter {@code before}; returns the last one bound. */
    private int bindWaiting(PreparedStatement ps, int before, String destination) throws SQLException {
        int i = before;
        for (int half = 0; half < 2; half++) {
            ps.setString(++i, destination);
            ps.setString(++i, destination);
            ps.setString(++i, primaryStore);
            ps.setString(++i, node);
            ps.setString(++i, node);
        }
        return i;
    }

    /** Verified, waiting and failed counts for the gauges. */
    public Backlog backlog(String destination) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT count(*) FROM archive_replica WHERE destination = ? AND state = 'VERIFIED'),
                       (SELECT coalesce(sum(size_bytes), 0) FROM archive_replica WHERE destination = ? AND state = 'VERIFIED'),
                       (SELECT count(*) FROM (""" + WAITING + """
                ) w),
                       (SELECT count(*) FROM archive_replica WHERE destination = ? AND state = 'FAILED')""")) {
            ps.setString(1, destination);
            ps.setString(2, destination);
            ps.setString(bindWaiting(ps, 2, destination) + 1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Backlog(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    /** Records the outcome of one attempt: VERIFIED (error null) or FAILED. */
    public void record(Source source, String destination, String uri, String key, String error) throws SQLException {
        String column = source.kind() == Kind.SEGMENT ? "object_id" : "asset_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO archive_replica (%1$s, run_id, destination, uri, object_key, size_bytes, crc32c, state,
                    attempts, last_error, verified_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, CASE WHEN ? IS NULL THEN now() END)
                ON CONFLICT (%1$s, destination) DO UPDATE SET uri = EXCLUDED.uri, object_key = EXCLUDED.object_key,
                    state = EXCLUDED.state, last_error = EXCLUDED.last_error, attempts = archive_replica.attempts + 1,
                    verified_at = coalesce(EXCLUDED.verified_at, archive_replica.verified_at), updated_at = now()"""
                .formatted(column))) {
            ps.setLong(1, source.id());
            ps.setLong(2, source.runId());
            ps.setString(3, destination);
            ps.setString(4, uri);
            ps.setString(5, key);
            ps.setLong(6, source.size());
            ps.setLong(7, source.crc32c());
            ps.setString(8, error == null ? "VERIFIED" : "FAILED");
            ps.setString(9, error);
            ps.setString(10, error);
            ps.executeUpdate();
        }
    }

    /** The experiment's replicas in every destination, by destination then key. */
    public List<Replica> replicasOf(long experimentId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT CASE WHEN x.object_id IS NOT NULL THEN 'SEGMENT' ELSE 'ASSET' END,
                       coalesce(x.object_id, x.asset_id), x.run_id, x.destination, x.uri, x.size_bytes, x.crc32c,
                       x.state, x.attempts, x.last_error, x.verified_at
                FROM archive_replica x JOIN run r ON r.id = x.run_id
                WHERE r.experiment_id = ? ORDER BY x.destination, x.object_key""")) {
            ps.setLong(1, experimentId);
            List<Replica> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp verified = rs.getTimestamp(11);
                    out.add(new Replica(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getInt(9), rs.getString(10),
                            verified == null ? null : verified.toInstant().toString()));
                }
            }
            return out;
        }
    }
}
