package dev.athanor.archive.policy;

import dev.athanor.archive.catalog.ArchiveCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes runs (segments, asset files, archived and replicated copies, index rows) whose project's
 * retention has passed since they ended, unless the project is on legal hold; {@link RunRemover}
 * does the removal and writes the audit rows.
 */
public final class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    /** What one sweep deleted. */
    public record Result(int runs, int segments, long bytes) {

        Result plus(Result other) {
            return new Result(runs + other.runs, segments + other.segments, bytes + other.bytes);
        }
    }

    private final ArchiveCatalog catalog;
    private final RunRemover remover;
    private final Clock clock;

    public RetentionSweeper(ArchiveCatalog catalog, RunRemover remover, Clock clock) {
        this.catalog = catalog;
        this.remover = remover;
        this.clock = clock;
    }

    public Result sweep(int limit) throws SQLException {
        Result total = new Result(0, 0, 0);
        for (RunRemover.Target run : expiredRuns(limit)) {
            try {
                Result removed = remover.remove(run, "RETENTION");
                total = total.plus(removed);
                LOG.infof("retention: deleted run %d (%s/%s/%s, ended %s, retention %s): %d files and objects",
                        run.runId(), run.project(), run.experiment(), run.runPath(), run.endedAt(), run.retention(),
                        removed.segments());
            } catch (RunRemover.NotNowException e) {
                LOG.warnf("retention: run %d (%s/%s/%s) stays for now: %s", run.runId(), run.project(),
                        run.experiment(), run.runPath(), e.getMessage());
            }
        }
        return total;
    }

    /** Finished runs of projects with a retention, not on legal hold, whose segments are all on this node. */
    private List<RunRemover.Target> expiredRuns(int limit) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.id, p.name, e.name, r.path, coalesce(r.ended_at, r.last_event_at, r.created_at),
                       pol.retention::text
                FROM run r JOIN experiment e ON e.id = r.experiment_id JOIN project p ON p.id = e.project_id
                JOIN archive_policy pol ON pol.project_id = p.id
                WHERE pol.retention IS NOT NULL AND NOT pol.legal_hold AND r.status <> 'RUNNING'
                  AND coalesce(r.ended_at, r.last_event_at, r.created_at) <= ?::timestamptz - pol.retention
                  AND (?::text IS NULL OR NOT EXISTS (
                        SELECT 1 FROM raw_segment s WHERE s.run_id = r.id AND s.ingest_node <> ?))
                ORDER BY r.id LIMIT ?""")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, catalog.node().orElse(null));
            ps.setString(3, catalog.node().orElse(null));
            ps.setInt(4, limit);
            List<RunRemover.Target> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunRemover.Target(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5), rs.getString(6)));
                }
            }
            return out;
        }
    }
}
