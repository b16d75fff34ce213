package dev.athanor.archive.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** archive_policy and archive_deletion rows, by project name. */
public final class PolicyStore {

    private final DataSource dataSource;

    public PolicyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The project's policy; empty when the project has none (service defaults apply). */
    public Optional<ProjectPolicy> get(String project) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT p.name, extract(epoch FROM pol.cold_after), pol.cold_min_bytes, pol.legal_hold,
                       extract(epoch FROM pol.retention), pol.updated_at, pol.updated_by
                FROM archive_policy pol JOIN project p ON p.id = pol.project_id WHERE p.name = ?""")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ProjectPolicy(rs.getString(1), iso(rs.getBigDecimal(2)),
                        (Long) rs.getObject(3), rs.getBoolean(4), iso(rs.getBigDecimal(5)),
                        rs.getTimestamp(6).toInstant().toString(), rs.getString(7)));
            }
        }
    }

    /** Sets the project's policy; false when the project does not exist. */
    public boolean put(String project, Optional<Duration> coldAfter, Optional<Long> coldMinBytes, boolean legalHold,
                       Optional<Duration> retention, String by) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO archive_policy (project_id, cold_after, cold_min_bytes, legal_hold, retention, updated_at,
                    updated_by)
                SELECT id, make_interval(secs => ?), ?, ?, make_interval(secs => ?), now(), ? FROM project WHERE name = ?
                ON CONFLICT (project_id) DO UPDATE SET cold_after = EXCLUDED.cold_after,
                    cold_min_bytes = EXCLUDED.cold_min_bytes, legal_hold = EXCLUDED.legal_hold,
                    retention = EXCLUDED.retention, updated_at = now(), updated_by = EXCLUDED.updated_by""")) {
            seconds(ps, 1, coldAfter);
            if (coldMinBytes.isPresent()) {
                ps.setLong(2, coldMinBytes.get());
            } else {
                ps.setNull(2, Types.BIGINT);
            }
            ps.setBoolean(3, legalHold);
            seconds(ps, 4, retention);
            ps.setString(5, by);
            ps.setString(6, project);
            return ps.executeUpdate() == 1;
        }
    }

    /** The newest audit rows of what retention deleted in the project. */
    public List<Map<String, Object>> deletions(String project, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, experiment, run_path, run_id, segment_path, store, object_key, size_bytes, crc32c, reason,
                       retention::text, run_ended_at, deleted_at, deleted_by
                FROM archive_deletion WHERE project = ? ORDER BY id DESC LIMIT ?""")) {
            ps.setString(1, project);
            ps.setInt(2, limit);
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        row.put(rs.getMetaData().getColumnLabel(i), v instanceof java.sql.Timestamp t
                                ? t.toInstant().toString() : v);
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    public boolean projectExists(String project) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM project WHERE name = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void seconds(PreparedStatement ps, int index, Optional<Duration> d) throws SQLException {
        if (d.isPresent()) {
            ps.setDouble(index, d.get().toMillis() / 1000.0);
        } else {
            ps.setNull(index, Types.DOUBLE);
        }
    }

    private static String iso(java.math.BigDecimal seconds) {
        return seconds == null ? null : Duration.ofMillis(seconds.movePointRight(3).longValue()).toString();
    }
}
