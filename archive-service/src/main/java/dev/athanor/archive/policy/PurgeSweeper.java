package dev.athanor.archive.policy;

import dev.athanor.archive.catalog.ArchiveCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Carries out purge requests (V1_5_9's purge_request, written by query-service when an admin
 * purges a trashed run or its trash window ends): the archive-service beside the ingest replica
 * that wrote the run's segments removes it with {@link RunRemover}. A project under legal hold
 * keeps its runs: the request stays, with last_error saying so, until the hold is cleared.
 */
public final class PurgeSweeper {

    private static final Logger LOG = Logger.getLogger(PurgeSweeper.class);

    private record Request(RunRemover.Target run, String reason, boolean legalHold) {
    }

    private final ArchiveCatalog catalog;
    private final RunRemover remover;

    public PurgeSweeper(ArchiveCatalog catalog, RunRemover remover) {
        this.catalog = catalog;
        this.remover = remover;
    }

    public RetentionSweeper.Result sweep(int limit) throws SQLException {
        RetentionSweeper.Result total = new RetentionSweeper.Result(0, 0, 0);
        for (Request request : requests(limit)) {
            RunRemover.Target run = request.run();
            if (request.legalHold()) {
                failed(run.runId(), "project '" + run.project() + "' is under legal hold: the purge waits until an"
                        + " admin clears it");
                continue;
            }
            try {
                RetentionSweeper.Result removed = remover.remove(run, request.reason().equals("ADMIN") ? "PURGE"
                        : "TRASH_EXPIRED");
                total = total.plus(removed);
                LOG.infof("purge (%s): removed run %d (%s/%s/%s): %d files and objects, %d bytes", request.reason(),
                        run.runId(), run.project(), run.experiment(), run.runPath(), removed.segments(),
                        removed.bytes());
            } catch (RunRemover.NotNowException e) {
                LOG.warnf("purge: run %d (%s/%s/%s) stays for now: %s", run.runId(), run.project(), run.experiment(),
                        run.runPath(), e.getMessage());
                failed(run.runId(), e.getMessage());
            }
        }
        return total;
    }

    /** Requests for runs whose segments are all on this node (any node when this worker serves all). */
    private List<Request> requests(int limit) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.id, p.name, e.name, r.path, coalesce(r.ended_at, r.last_event_at, r.created_at), q.reason,
                       coalesce(pol.legal_hold, false)
                FROM purge_request q JOIN run r ON r.id = q.run_id JOIN experiment e ON e.id = r.experiment_id
                JOIN project p ON p.id = e.project_id LEFT JOIN archive_policy pol ON pol.project_id = p.id
                WHERE (?::text IS NULL OR NOT EXISTS (
                        SELECT 1 FROM raw_segment s WHERE s.run_id = r.id AND s.ingest_node <> ?))
                ORDER BY q.attempts, q.requested_at, r.id LIMIT ?""")) {
            ps.setString(1, catalog.node().orElse(null));
            ps.setString(2, catalog.node().orElse(null));
            ps.setInt(3, limit);
            List<Request> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Request(new RunRemover.Target(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5), null), rs.getString(6), rs.getBoolean(7)));
                }
            }
            return out;
        }
    }

    private void failed(long runId, String error) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE purge_request SET attempts = attempts + 1, last_error = ?, updated_at = now() WHERE run_id = ?")) {
            ps.setString(1, error);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }
}
