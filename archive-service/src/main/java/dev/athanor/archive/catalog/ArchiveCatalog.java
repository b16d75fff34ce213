package dev.athanor.archive.catalog;

import dev.athanor.archive.store.StorageTier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The archive's records in PostgreSQL: which segments need a copy, every copy made (with its
 * state), and which hot files are gone. Plain JDBC, one short transaction per call.
 *
 * <p>Scoped to one store name and, optionally, one ingest node (the replica whose volume this
 * worker can see).
 */
public class ArchiveCatalog {

    private static final int MAX_ERROR_CHARS = 2000;

    private final DataSource dataSource;
    private final String store;
    private final Optional<String> node;
    private final Clock clock;

    public ArchiveCatalog(DataSource dataSource, String store, Optional<String> node, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.node = node;
        this.clock = clock;
    }

    public String store() {
        return store;
    }

    public Optional<String> node() {
        return node;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /**
     * Sealed hot segments with no verified copy whose turn has come: never tried, interrupted
     * while uploading (only one worker runs, so such a row is a leftover), or failed with the
     * backoff elapsed. Oldest first.
     */
    public List<SegmentToArchive> segmentsToArchive(Duration minSealedAge, int limit) throws SQLException {
        String sql = """
                SELECT s.id, s.run_id, s.relative_path, s.size_bytes, s.crc32c, coalesce(o.attempts, 0)
                FROM raw_segment s
                LEFT JOIN archive_object o ON o.segment_id = s.id AND o.store = ?
                WHERE s.state = 'SEALED' AND s.hot_deleted_at IS NULL
                  AND (?::text IS NULL OR s.ingest_node = ?)
                  AND s.sealed_at <= ?
                  AND (o.id IS NULL OR o.state = 'UPLOADING'
                       OR (o.state = 'FAILED' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)))
                ORDER BY s.id
                LIMIT ?""";
        Timestamp now = now();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, store);
            ps.setString(2, node.orElse(null));
            ps.setString(3, node.orElse(null));
            ps.setTimestamp(4, Timestamp.from(clock.instant().minus(minSealedAge)));
            ps.setTimestamp(5, now);
            ps.setInt(6, limit);
            List<SegmentToArchive> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long crc = rs.getLong(5);
                    OptionalLong catalogCrc = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(crc);
                    out.add(new SegmentToArchive(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            catalogCrc, rs.getInt(6)));
                }
            }
            return out;
        }
    }

    /**
     * Records the copy about to be made, before the first byte leaves: whatever happens next,
     * no object can exist in the store without a row saying where it came from.
     */
    public void recordUploading(SegmentToArchive segment, String objectKey, String uri, long size, long crc32c)
            throws SQLException {
        String sql = """
                INSERT INTO archive_object (segment_id, run_id, store, tier, uri, object_key, size_bytes, crc32c,
                                            state, attempts, created_at, updated_at)
                VALUES (?, ?, ?, 'WARM', ?, ?, ?, ?, 'UPLOADING', 1, ?, ?)
                ON CONFLICT (segment_id, store) DO UPDATE SET
                    tier = 'WARM', uri = EXCLUDED.uri, object_key = EXCLUDED.object_key,
                    size_bytes = EXCLUDED.size_bytes, crc32c = EXCLUDED.crc32c, state = 'UPLOADING',
                    attempts = archive_object.attempts + 1, next_attempt_at = NULL, updated_at = EXCLUDED.updated_at""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Timestamp now = now();
            ps.setLong(1, segment.segmentId());
            ps.setLong(2, segment.runId());
            ps.setString(3, store);
            ps.setString(4, uri);
            ps.setString(5, objectKey);
            ps.setLong(6, size);
            ps.setLong(7, crc32c);
            ps.setTimestamp(8, now);
            ps.setTimestamp(9, now);
            ps.executeUpdate();
        }
    }

    public void recordVerified(long segmentId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE archive_object SET state = 'VERIFIED', last_error = NULL, next_attempt_at = NULL,
                    verified_at = ?, updated_at = ?
                WHERE segment_id = ? AND store = ?""")) {
            Timestamp now = now();
            ps.setTimestamp(1, now);
            ps.setTimestamp(2, now);
            ps.setLong(3, segmentId);
            ps.setString(4, store);
            requireOneRow(ps.executeUpdate(), segmentId);
        }
    }

    /** The attempt failed; the segment comes back at {@code nextAttemptAt}. */
    public void recordFailed(long segmentId, String error, Instant nextAttemptAt) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE archive_object SET state = 'FAILED', last_error = ?, next_attempt_at = ?, updated_at = ?
                WHERE segment_id = ? AND store = ?""")) {
            ps.setString(1, truncate(error));
            ps.setTimestamp(2, Timestamp.from(nextAttemptAt));
            ps.setTimestamp(3, now());
            ps.setLong(4, segmentId);
            ps.setString(5, store);
            requireOneRow(ps.executeUpdate(), segmentId);
        }
    }

    private void requireOneRow(int rows, long segmentId) throws SQLException {
        if (rows != 1) {
            throw new SQLException("no archive_object row for segment " + segmentId + " in store " + store);
        }
    }

    /** The segment cannot be archived as it is; a person has to look (never retried automatically). */
    public void recordRefused(SegmentToArchive segment, String error) throws SQLException {
        String sql = """
                INSERT INTO archive_object (segment_id, run_id, store, tier, state, attempts, last_error,
                                            created_at, updated_at)
                VALUES (?, ?, ?, 'WARM', 'REFUSED', 1, ?, ?, ?)
                ON CONFLICT (segment_id, store) DO UPDATE SET state = 'REFUSED', last_error = EXCLUDED.last_error,
                    attempts = archive_object.attempts + 1, next_attempt_at = NULL, updated_at = EXCLUDED.updated_at""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Timestamp now = now();
            ps.setLong(1, segment.segmentId());
            ps.setLong(2, segment.runId());
            ps.setString(3, store);
            ps.setString(4, truncate(error));
            ps.setTimestamp(5, now);
            ps.setTimestamp(6, now);
            ps.executeUpdate();
        }
    }

    /**
     * Hot files that may go: a verified copy exists, the run is no longer RUNNING (its log will
     * not be appended to), and the copy was verified at least {@code keepFor} ago.
     */
    public List<HotCopy> hotCopiesToDelete(Duration keepFor, int limit) throws SQLException {
        String sql = """
                SELECT s.id, s.relative_path, o.size_bytes, o.crc32c, o.object_key
                FROM raw_segment s
                JOIN run r ON r.id = s.run_id
                JOIN archive_object o ON o.segment_id = s.id AND o.store = ? AND o.state = 'VERIFIED'
                WHERE s.hot_deleted_at IS NULL AND s.state = 'SEALED' AND r.status <> 'RUNNING'
                  AND (?::text IS NULL OR s.ingest_node = ?)
                  AND o.verified_at <= ?
                ORDER BY s.id
                LIMIT ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, store);
            ps.setString(2, node.orElse(null));
            ps.setString(3, node.orElse(null));
            ps.setTimestamp(4, Timestamp.from(clock.instant().minus(keepFor)));
            ps.setInt(5, limit);
            List<HotCopy> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HotCopy(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
                }
            }
            return out;
        }
    }

    /**
     * Records that the hot file is going, if (and only if) a verified copy is still recorded.
     * Readers switch to the archive from this moment; the file is deleted after.
     */
    public boolean markHotDeleted(long segmentId) throws SQLException {
        String sql = """
                UPDATE raw_segment s SET hot_deleted_at = ?
                WHERE s.id = ? AND s.hot_deleted_at IS NULL
                  AND EXISTS (SELECT 1 FROM archive_object o
                              WHERE o.segment_id = s.id AND o.store = ? AND o.state = 'VERIFIED')""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, now());
            ps.setLong(2, segmentId);
            ps.setString(3, store);
            return ps.executeUpdate() == 1;
        }
    }

    /** Relative paths of segments recorded as gone from hot storage (to sweep files a crash left). */
    public List<String> hotDeletedPaths() throws SQLException {
        String sql = """
                SELECT relative_path FROM raw_segment
                WHERE hot_deleted_at IS NOT NULL AND (?::text IS NULL OR ingest_node = ?)
                ORDER BY id""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node.orElse(null));
            ps.setString(2, node.orElse(null));
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
     * Verified warm copies (of this node's segments) of runs that ended (or last wrote) long enough
     * ago: the project's archive_policy.cold_after, else {@code defaultColdAfter} (empty: never), and
     * at least the policy's cold_min_bytes large.
     */
    public List<ArchivedObject> objectsToCool(Optional<Duration> defaultColdAfter, int limit) throws SQLException {
        String where = """
                o.store = ? AND o.state = 'VERIFIED' AND o.tier = 'WARM' AND r.status <> 'RUNNING'
                AND (?::text IS NULL OR s.ingest_node = ?)
                AND coalesce(r.ended_at, r.last_event_at, s.sealed_at)
                    <= ?::timestamptz - coalesce(pol.cold_after, make_interval(secs => ?::double precision))
                AND o.size_bytes >= coalesce(pol.cold_min_bytes, 0)
                ORDER BY o.id LIMIT ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(select("""
                JOIN experiment e ON e.id = r.experiment_id LEFT JOIN archive_policy pol ON pol.project_id = e.project_id
                """, where))) {
            ps.setString(1, store);
            ps.setString(2, node.orElse(null));
            ps.setString(3, node.orElse(null));
            ps.setTimestamp(4, now());
            if (defaultColdAfter.isPresent()) {
                ps.setDouble(5, defaultColdAfter.get().toMillis() / 1000.0);
            } else {
                ps.setNull(5, java.sql.Types.DOUBLE);
            }
            ps.setInt(6, limit);
            return objects(ps);
        }
    }

    public void recordTier(long objectId, StorageTier tier) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE archive_object SET tier = ?, tiered_at = ?, updated_at = ? WHERE id = ?")) {
            Timestamp now = now();
            ps.setString(1, tier.name());
            ps.setTimestamp(2, now);
            ps.setTimestamp(3, now);
            ps.setLong(4, objectId);
            ps.executeUpdate();
        }
    }

    /** Every recorded copy of a segment (one per store). */
    public List<ArchivedObject> objectsOfSegment(long segmentId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(select("o.segment_id = ? ORDER BY o.store"))) {
            ps.setLong(1, segmentId);
            return objects(ps);
        }
    }

    /** This store's copy of a segment, if one is recorded. */
    public Optional<ArchivedObject> objectOfSegment(long segmentId) throws SQLException {
        return objectsOfSegment(segmentId).stream().filter(o -> o.store().equals(store)).findFirst();
    }

    private static String select(String where) {
        return select("", where);
    }

    private static String select(String joins, String where) {
        return """
                SELECT o.id, o.segment_id, o.run_id, o.store, o.tier, o.uri, o.object_key, o.size_bytes, o.crc32c,
                       o.state, o.attempts, o.last_error, o.next_attempt_at, o.verified_at, s.hot_deleted_at IS NOT NULL
                FROM archive_object o JOIN raw_segment s ON s.id = o.segment_id JOIN run r ON r.id = o.run_id
                """ + joins + "WHERE " + where;
    }

    private static List<ArchivedObject> objects(PreparedStatement ps) throws SQLException {
        List<ArchivedObject> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ArchivedObject(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        StorageTier.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                        (Long) rs.getObject(8), (Long) rs.getObject(9), ObjectState.valueOf(rs.getString(10)),
                        rs.getInt(11), rs.getString(12), instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)),
                        rs.getBoolean(15)));
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Totals for this worker's scope (its node, when set), so replicas' gauges add up. */
    public TierTotals totals() throws SQLException {
        String sql = """
                SELECT
                  (SELECT coalesce(sum(size_bytes), 0) FROM raw_segment
                     WHERE hot_deleted_at IS NULL AND (?::text IS NULL OR ingest_node = ?)),
                  (SELECT coalesce(sum(o.size_bytes), 0) FROM archive_object o JOIN raw_segment s ON s.id = o.segment_id
                     WHERE o.store = ? AND o.state = 'VERIFIED' AND o.tier = 'WARM' AND (?::text IS NULL OR s.ingest_node = ?)),
                  (SELECT coalesce(sum(o.size_bytes), 0) FROM archive_object o JOIN raw_segment s ON s.id = o.segment_id
                     WHERE o.store = ? AND o.state = 'VERIFIED' AND o.tier = 'COLD' AND (?::text IS NULL OR s.ingest_node = ?)),
                  (SELECT count(*) FROM raw_segment s
                     WHERE s.state = 'SEALED' AND s.hot_deleted_at IS NULL AND (?::text IS NULL OR s.ingest_node = ?)
                       AND NOT EXISTS (SELECT 1 FROM archive_object o WHERE o.segment_id = s.id AND o.store = ?
                                       AND o.state IN ('VERIFIED', 'REFUSED'))),
                  (SELECT count(*) FROM archive_object o JOIN raw_segment s ON s.id = o.segment_id
                     WHERE o.store = ? AND o.state = 'FAILED' AND (?::text IS NULL OR s.ingest_node = ?)),
                  (SELECT count(*) FROM archive_object o JOIN raw_segment s ON s.id = o.segment_id
                     WHERE o.store = ? AND o.state = 'REFUSED' AND (?::text IS NULL OR s.ingest_node = ?))""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            String n = node.orElse(null);
            Object[] params = {n, n, store, n, n, store, n, n, n, n, store, store, n, n, store, n, n};
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, (String) params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new TierTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
            }
        }
    }

    private static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
