package dev.athanor.query.curate.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.ProjectFilter;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link CurateStore} over the PostgreSQL index. */
public final class PgCurateStore implements CurateStore {

    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String PLACE_OF_RUN = """
            SELECT r.id, r.experiment_id, e.name, p.name, r.path, r.trashed_at IS NOT NULL, e.trashed_at IS NOT NULL,
                   EXISTS (SELECT 1 FROM purge_request q WHERE q.run_id = r.id), r.status
            FROM run r JOIN experiment e ON e.id = r.experiment_id JOIN project p ON p.id = e.project_id
            WHERE r.id = """;

    private static final String PLACE_OF_EXPERIMENT = """
            SELECT e.id, e.id, e.name, p.name, e.name, e.trashed_at IS NOT NULL, e.trashed_at IS NOT NULL,
                   e.purge_requested_at IS NOT NULL,
                   CASE WHEN EXISTS (SELECT 1 FROM run r WHERE r.experiment_id = e.id AND r.status = 'RUNNING'
                                     AND r.trashed_at IS NULL) THEN 'RUNNING' END
            FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.id = """;

    /** Per run: series, hot files (segments not yet removed from the volume, asset files), stored objects. */
    private static final String FOOTPRINT = """
            SELECT count(*),
                   coalesce(sum((SELECT count(*) FROM series s WHERE s.run_id = r.id)), 0),
                   coalesce(sum((SELECT count(*) FROM raw_segment g WHERE g.run_id = r.id AND g.hot_deleted_at IS NULL)
                              + (SELECT count(*) FROM run_asset a WHERE a.run_id = r.id)), 0),
                   coalesce(sum((SELECT count(*) FROM archive_object o WHERE o.run_id = r.id AND o.object_key IS NOT NULL)
                              + (SELECT count(*) FROM archive_asset x JOIN run_asset a ON a.id = x.asset_id
                                 WHERE a.run_id = r.id)
                              + (SELECT count(*) FROM archive_replica c WHERE c.run_id = r.id)), 0)
            FROM run r WHERE""";

    private final Jdbc jdbc;

    public PgCurateStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Place> run(long runId) {
        return place(PLACE_OF_RUN, runId);
    }

    @Override
    public Optional<Place> experiment(long experimentId) {
        return place(PLACE_OF_EXPERIMENT, experimentId);
    }

    private Optional<Place> place(String sql, long id) {
        return jdbc.one(SqlFragment.builder().sql(sql).param(id).build(), rs -> new Place(
                rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6),
                rs.getBoolean(7), rs.getBoolean(8), rs.getString(9)));
    }

    @Override
    public boolean trashRun(long runId, String by) {
        return update("UPDATE run SET trashed_at = now(), trashed_by = ?, trashed_with_experiment = false"
                + " WHERE id = ? AND trashed_at IS NULL", by, runId) == 1;
    }

    @Override
    public boolean trashExperiment(long experimentId, String by) {
        return jdbc.withConnection(c -> inTransaction(c, () -> {
            int changed = update(c, "UPDATE experiment SET trashed_at = now(), trashed_by = ?"
                    + " WHERE id = ? AND trashed_at IS NULL", by, experimentId);
            if (changed == 1) {
                update(c, "UPDATE run SET trashed_at = now(), trashed_by = ?, trashed_with_experiment = true"
                        + " WHERE experiment_id = ? AND trashed_at IS NULL", by, experimentId);
            }
            return changed == 1;
        }));
    }

    @Override
    public boolean restoreRun(long runId) {
        return update("UPDATE run SET trashed_at = NULL, trashed_by = NULL, trashed_with_experiment = false"
                + " WHERE id = ? AND trashed_at IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM purge_request q WHERE q.run_id = run.id)", runId) == 1;
    }

    @Override
    public boolean restoreExperiment(long experimentId) {
        return jdbc.withConnection(c -> inTransaction(c, () -> {
            int changed = update(c, "UPDATE experiment SET trashed_at = NULL, trashed_by = NULL"
                    + " WHERE id = ? AND trashed_at IS NOT NULL AND purge_requested_at IS NULL", experimentId);
            if (changed == 1) {
                update(c, "UPDATE run SET trashed_at = NULL, trashed_by = NULL, trashed_with_experiment = false"
                        + " WHERE experiment_id = ? AND trashed_with_experiment"
                        + " AND NOT EXISTS (SELECT 1 FROM purge_request q WHERE q.run_id = run.id)", experimentId);
            }
            return changed == 1;
        }));
    }

    @Override
    public void requestRunPurge(long runId, String reason, String by) {
        update("INSERT INTO purge_request (run_id, reason, requested_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                runId, reason, by);
    }

    @Override
    public void requestExperimentPurge(long experimentId, String reason, String by) {
        jdbc.withConnection(c -> inTransaction(c, () -> {
            update(c, "UPDATE experiment SET purge_requested_at = coalesce(purge_requested_at, now()) WHERE id = ?",
                    experimentId);
            update(c, "INSERT INTO purge_request (run_id, reason, requested_by)"
                    + " SELECT id, ?, ? FROM run WHERE experiment_id = ? ON CONFLICT DO NOTHING", reason, by, experimentId);
            return null;
        }));
    }

    @Override
    public Optional<String> legalHold(String project) {
        return jdbc.one(SqlFragment.builder().sql("SELECT coalesce(pol.updated_by, 'unknown') || ' on '"
                + " || to_char(pol.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " FROM archive_policy pol JOIN project p ON p.id = pol.project_id WHERE pol.legal_hold AND p.name = ")
                .param(project).build(), rs -> rs.getString(1));
    }

    @Override
    public Footprint runFootprint(long runId) {
        return footprint(" r.id = ", runId);
    }

    @Override
    public Footprint experimentFootprint(long experimentId) {
        return footprint(" r.experiment_id = ", experimentId);
    }

    private Footprint footprint(String where, long id) {
        return jdbc.one(SqlFragment.builder().sql(FOOTPRINT + where).param(id).build(),
                rs -> new Footprint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).orElseThrow();
    }

    @Override
    public List<TrashEntry> list(String project, Set<String> projects, Duration window, int limit) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("""
                SELECT * FROM (
                  SELECT 'experiment' AS kind, e.id, p.name AS project, e.id AS experiment_id, e.name AS experiment,
                         e.name AS name, e.trashed_at, e.trashed_by, e.purge_requested_at AS purge_requested_at,
                         NULL::text AS purge_error
                  FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.trashed_at IS NOT NULL
                  UNION ALL
                  SELECT 'run', r.id, p.name, e.id, e.name, r.path, r.trashed_at, r.trashed_by, q.requested_at,
                         q.last_error
                  FROM run r JOIN experiment e ON e.id = r.experiment_id JOIN project p ON p.id = e.project_id
                  LEFT JOIN purge_request q ON q.run_id = r.id
                  WHERE r.trashed_at IS NOT NULL AND NOT r.trashed_with_experiment
                ) t WHERE true""");
        if (project != null) {
            sql.sql(" AND t.project = ").param(project);
        }
        if (projects != null) {
            ProjectFilter.append(sql, "t.project", projects);
        }
        sql.sql(" ORDER BY t.trashed_at DESC, t.kind, t.id LIMIT ").param(limit);
        List<TrashEntry> entries = jdbc.list(sql.build(), rs -> new TrashEntry(rs.getString("kind"), rs.getLong("id"),
                rs.getString("project"), rs.getLong("experiment_id"), rs.getString("experiment"), rs.getString("name"),
                Jdbc.getInstant(rs, "trashed_at"), rs.getString("trashed_by"),
                Jdbc.getInstant(rs, "trashed_at").plus(window), Jdbc.getInstant(rs, "purge_requested_at"),
                rs.getString("purge_error"), null));
        List<TrashEntry> out = new ArrayList<>(entries.size());
        for (TrashEntry e : entries) {
            Footprint f = e.kind().equals("run") ? runFootprint(e.id()) : experimentFootprint(e.id());
            out.add(new TrashEntry(e.kind(), e.id(), e.project(), e.experimentId(), e.experiment(), e.name(),
                    e.trashedAt(), e.trashedBy(), e.purgeAfter(), e.purgeRequestedAt(), e.purgeError(), f));
        }
        return out;
    }

    @Override
    public boolean moveRun(long runId, long targetExperimentId) {
        return !uniqueViolation(() -> update("UPDATE run SET experiment_id = ? WHERE id = ?", targetExperimentId, runId));
    }

    @Override
    public boolean renameExperiment(long experimentId, String name) {
        return !uniqueViolation(() -> update("UPDATE experiment SET name = ?, updated_at = now() WHERE id = ?",
                name, experimentId));
    }

    @Override
    public int requestExpiredPurges(Duration window, String by) {
        double seconds = window.toMillis() / 1000.0;
        return jdbc.withConnection(c -> inTransaction(c, () -> {
            update(c, "UPDATE experiment SET purge_requested_at = now() WHERE trashed_at IS NOT NULL"
                    + " AND purge_requested_at IS NULL AND trashed_at <= now() - make_interval(secs => ?)", seconds);
            return update(c, """
                    INSERT INTO purge_request (run_id, reason, requested_by)
                    SELECT r.id, 'TRASH_EXPIRED', ? FROM run r JOIN experiment e ON e.id = r.experiment_id
                    WHERE (r.trashed_at IS NOT NULL AND r.trashed_at <= now() - make_interval(secs => ?))
                       OR e.purge_requested_at IS NOT NULL
                    ON CONFLICT DO NOTHING""", by, seconds);
        }));
    }

    @Override
    public List<Long> deletePurgedExperiments() {
        return jdbc.list(SqlFragment.builder().sql("DELETE FROM experiment e WHERE e.purge_requested_at IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM run r WHERE r.experiment_id = e.id) RETURNING e.id").build(),
                rs -> rs.getLong(1));
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private int update(String sql, Object... params) {
        return jdbc.withConnection(c -> update(c, sql, params));
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Runs the update; true when it failed on a unique key (a name clash). */
    private boolean uniqueViolation(Work<Integer> work) {
        try {
            jdbc.withConnection(c -> work.run());
            return false;
        } catch (dev.athanor.query.common.jdbc.DataAccessException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlException().getSQLState())) {
                return true;
            }
            throw e;
        }
    }
}
