package dev.athanor.archive.scrub;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.StorageTier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The scrub's rows of the catalog: which verified copies are due (oldest check first), the
 * check of each (archive_object / archive_asset / archive_replica.scrubbed_at), and damage found
 * (archive_damage, migration V1_5_50). Scoped like the tiering worker: one primary store and,
 * optionally, the objects written by one ingest node.
 */
public final class ScrubCatalog {

    private static final int MAX_DETAIL_CHARS = 2000;

    private final DataSource dataSource;
    private final String primaryStore;
    private final String node;

    public ScrubCatalog(DataSource dataSource, String primaryStore, Optional<String> node) {
        this.dataSource = dataSource;
        this.primaryStore = primaryStore;
        this.node = node.orElse(null);
    }

    /**
     * Verified copies last checked (the later of scrubbed and verified) at or before {@code checkedBefore},
     * oldest first: segments and assets in the primary store, replicas in {@code destinations}.
     */
    public List<ScrubTarget> due(Instant checkedBefore, List<String> destinations, int limit) throws SQLException {
        String sql = """
                SELECT * FROM (
                  SELECT 'SEGMENT' AS kind, o.id, o.run_id, o.store, o.uri, o.object_key, o.size_bytes, o.crc32c,
                         o.tier, s.hot_deleted_at IS NULL AS hot_kept, greatest(o.scrubbed_at, o.verified_at) AS checked
                  FROM archive_object o JOIN raw_segment s ON s.id = o.segment_id
                  WHERE o.store = ? AND o.state = 'VERIFIED' AND (?::text IS NULL OR s.ingest_node = ?)
                  UNION ALL
                  SELECT 'ASSET', a.id, a.run_id, a.store, a.uri, a.object_key, a.size_bytes, a.crc32c,
                         'WARM', true, greatest(a.scrubbed_at, a.verified_at)
                  FROM archive_asset a JOIN run_asset ra ON ra.id = a.asset_id
                  WHERE a.store = ? AND a.state = 'VERIFIED' AND (?::text IS NULL OR ra.ingest_node = ?)
                  UNION ALL
                  SELECT 'REPLICA', x.id, x.run_id, x.destination, x.uri, x.object_key, x.size_bytes, x.crc32c,
                         'WARM', false, greatest(x.scrubbed_at, x.verified_at)
                  FROM archive_replica x
                  LEFT JOIN archive_object o ON o.id = x.object_id LEFT JOIN raw_segment s ON s.id = o.segment_id
                  LEFT JOIN archive_asset a ON a.id = x.asset_id LEFT JOIN run_asset ra ON ra.id = a.asset_id
                  WHERE x.state = 'VERIFIED' AND x.destination = ANY (?)
                    AND coalesce(o.store, a.store) = ?
                    AND (?::text IS NULL OR coalesce(s.ingest_node, ra.ingest_node) = ?)
                ) t
                WHERE t.checked IS NULL OR t.checked <= ?
                ORDER BY t.checked NULLS FIRST, t.kind, t.id
                LIMIT ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            for (int primaryHalf = 0; primaryHalf < 2; primaryHalf++) {
                ps.setString(++i, primaryStore);
                ps.setString(++i, node);
                ps.setString(++i, node);
            }
            ps.setArray(++i, c.createArrayOf("text", destinations.toArray()));
            ps.setString(++i, primaryStore);
            ps.setString(++i, node);
            ps.setString(++i, node);
            ps.setTimestamp(++i, Timestamp.from(checkedBefore));
            ps.setInt(++i, limit);
            List<ScrubTarget> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScrubTarget(ScrubTarget.Kind.valueOf(rs.getString("kind")), rs.getLong("id"),
                            rs.getLong("run_id"), rs.getString("store"), rs.getString("uri"), rs.getString("object_key"),
                            rs.getLong("size_bytes"), rs.getLong("crc32c"), StorageTier.valueOf(rs.getString("tier")),
                            rs.getBoolean("hot_kept")));
                }
            }
            return out;
        }
    }

    /** The copy still holds its bytes: remember when it was checked. */
    public void recordClean(ScrubTarget target, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table(target.kind()) + " SET scrubbed_at = ? WHERE id = ? AND state = 'VERIFIED'")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, target.id());
            ps.executeUpdate();
        }
    }

    /**
     * In one transaction: a finding in archive_damage, and the copy's row set to FAILED with the
     * finding as its last error, so hot removal, readers and replication stop trusting it and the
     * tiering pass copies it again where it can (a segment only while its hot file is kept).
     * Returns false when the row was no longer VERIFIED (changed meanwhile): nothing recorded.
     */
    public boolean recordDamage(ScrubTarget target, String damage, String detail, String foundBy, Instant at)
            throws SQLException {
        String error = truncate("[SCRUB] " + damage + ": " + detail);
        String update = switch (target.kind()) {
            case SEGMENT -> """
                    UPDATE archive_object SET state = 'FAILED', last_error = ?, scrubbed_at = ?, updated_at = ?,
                        next_attempt_at = ? WHERE id = ? AND state = 'VERIFIED'""";
            case ASSET, REPLICA -> "UPDATE " + table(target.kind()) + """
                     SET state = 'FAILED', last_error = ?, scrubbed_at = ?, updated_at = ?
                    WHERE id = ? AND state = 'VERIFIED'""";
        };
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    int i = 0;
                    ps.setString(++i, error);
                    ps.setTimestamp(++i, Timestamp.from(at));
                    ps.setTimestamp(++i, Timestamp.from(at));
                    if (target.kind() == ScrubTarget.Kind.SEGMENT) {
                        ps.setTimestamp(++i, Timestamp.from(at));   // re-copied at the next pass if the hot file is kept
                    }
                    ps.setLong(++i, target.id());
                    if (ps.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO archive_damage (kind, object_id, asset_id, replica_id, run_id, store, uri, object_key,
                            expected_size, expected_crc32c, damage, detail, repair, found_by, found_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setString(1, target.kind().name());
                    for (ScrubTarget.Kind k : ScrubTarget.Kind.values()) {
                        ps.setObject(2 + k.ordinal(), k == target.kind() ? target.id() : null, java.sql.Types.BIGINT);
                    }
                    ps.setLong(5, target.runId());
                    ps.setString(6, target.store());
                    ps.setString(7, target.uri());
                    ps.setString(8, target.objectKey());
                    ps.setLong(9, target.size());
                    ps.setLong(10, target.crc32c());
                    ps.setString(11, damage);
                    ps.setString(12, truncate(detail));
                    ps.setString(13, target.repair().name());
                    ps.setString(14, foundBy);
                    ps.setTimestamp(15, Timestamp.from(at));
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Closes findings whose copy is VERIFIED again (re-copied and verified since); returns how many. */
    public int closeRepaired(Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE archive_damage d SET repaired_at = ?
                WHERE d.repaired_at IS NULL AND (
                   EXISTS (SELECT 1 FROM archive_object o WHERE o.id = d.object_id AND o.state = 'VERIFIED')
                   OR EXISTS (SELECT 1 FROM archive_asset a WHERE a.id = d.asset_id AND a.state = 'VERIFIED')
                   OR EXISTS (SELECT 1 FROM archive_replica x WHERE x.id = d.replica_id AND x.state = 'VERIFIED'))""")) {
            ps.setTimestamp(1, Timestamp.from(at));
            return ps.executeUpdate();
        }
    }

    /**
     * Open findings: of every worker ({@code foundBy} empty: the installation, as the listing shows
     * it), or found by one worker scope (its gauge and health check, so summing replicas counts each once).
     */
    public long openDamage(Optional<String> foundBy) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM archive_damage WHERE repaired_at IS NULL AND (?::text IS NULL OR found_by = ?)")) {
            ps.setString(1, foundBy.orElse(null));
            ps.setString(2, foundBy.orElse(null));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Findings, newest first; only open ones unless {@code includeRepaired}. */
    public List<Damage> findings(boolean includeRepaired, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT d.id, d.kind, coalesce(d.object_id, d.asset_id, d.replica_id), d.run_id, p.name, e.name, r.path,
                       d.store, d.uri, d.object_key, d.expected_size, d.expected_crc32c, d.damage, d.detail, d.repair,
                       d.found_by, d.found_at, d.repaired_at
                FROM archive_damage d JOIN run r ON r.id = d.run_id JOIN experiment e ON e.id = r.experiment_id
                JOIN project p ON p.id = e.project_id
                WHERE ? OR d.repaired_at IS NULL
                ORDER BY d.found_at DESC, d.id DESC LIMIT ?""")) {
            ps.setBoolean(1, includeRepaired);
            ps.setInt(2, limit);
            List<Damage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp repaired = rs.getTimestamp(18);
                    out.add(new Damage(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getLong(11), Crc32c.hex(rs.getLong(12)), rs.getString(13), rs.getString(14),
                            rs.getString(15), rs.getString(16), rs.getTimestamp(17).toInstant().toString(),
                            repaired == null ? null : repaired.toInstant().toString()));
                }
            }
            return out;
        }
    }

    private static String table(ScrubTarget.Kind kind) {
        return switch (kind) {
            case SEGMENT -> "archive_object";
            case ASSET -> "archive_asset";
            case REPLICA -> "archive_replica";
        };
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "…";
    }
}
