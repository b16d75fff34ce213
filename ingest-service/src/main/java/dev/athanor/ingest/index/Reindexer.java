package dev.athanor.ingest.index;

import dev.athanor.ingest.catalog.NotFoundException;
import dev.athanor.ingest.catalog.PreconditionException;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.ingest.rawlog.RunLog;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Rebuilds the index of a run (or of every run of an experiment) from the raw log: the run's
 * index rows are deleted in one transaction and the indexer reads the run's journal again from
 * the start. The raw log is the source of truth; nothing in it changes. A run handed over between
 * replicas (its raw log on several volumes) is refused, before anything is deleted.
 */
@ApplicationScoped
public class Reindexer {

    private final AgroalDataSource dataSource;
    private final RawLog rawLog;
    private final IndexScheduler scheduler;

    public Reindexer(AgroalDataSource dataSource, RawLog rawLog, IndexScheduler scheduler) {
        this.dataSource = dataSource;
        this.rawLog = rawLog;
        this.scheduler = scheduler;
    }

    /** Rebuilds one run's index; waits up to {@code wait} for the indexer to catch up (zero: do not wait). */
    public void reindexRun(long runId, Duration wait) throws SQLException, IOException, InterruptedException,
            TimeoutException {
        RunIdentity identity = identity(runId);
        refuseIfWrittenElsewhere(runId);
        Optional<RunLog> log = rawLog.openIfExists(identity);
        scheduler.pause(runId);
        try {
            clear(runId);
        } finally {
            scheduler.resume(runId, true);
        }
        if (log.isPresent()) {
            scheduler.schedule(log.get());
            if (!wait.isZero()) {
                scheduler.awaitCaughtUp(runId, wait);
            }
        }
    }

    /** Rebuilds every run of an experiment; returns the run ids. */
    public List<Long> reindexExperiment(long experimentId, Duration wait) throws SQLException, IOException,
            InterruptedException, TimeoutException {
        List<Long> runIds = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM run WHERE experiment_id = ? ORDER BY id")) {
            ps.setLong(1, experimentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runIds.add(rs.getLong(1));
                }
            }
        }
        for (long runId : runIds) {
            refuseIfWrittenElsewhere(runId);  // all checked before any index is cleared
        }
        for (long runId : runIds) {
            reindexRun(runId, wait);
        }
        return runIds;
    }

    /** Clearing the index and replaying only this replica's part of the raw log would lose the others'. */
    private void refuseIfWrittenElsewhere(long runId) throws SQLException {
        Set<String> others = new java.util.TreeSet<>(rawLog.ledger().writers(runId));
        others.remove(rawLog.node());
        if (!others.isEmpty()) {
            throw new PreconditionException("run " + runId + " was also written by ingest replica(s) " + others
                    + " (its raw log lies on several volumes); reindexing such a run is not supported yet");
        }
    }

    private RunIdentity identity(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT r.path, e.id, e.name, p.name FROM run r JOIN experiment e ON e.id = r.experiment_id
                     JOIN project p ON p.id = e.project_id WHERE r.id = ?""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("run " + runId + " does not exist");
                }
                return new RunIdentity(runId, rs.getLong(2), rs.getString(4), rs.getString(3), rs.getString(1));
            }
        }
    }

    private void clear(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (String sql : List.of(
                        "DELETE FROM series WHERE run_id = ?",
                        "DELETE FROM ingest_problem WHERE run_id = ?",
                        "UPDATE source_file SET indexed_offset = 0, record_count = 0 WHERE run_id = ?",
                        """
                        UPDATE run SET hparams = '{}'::jsonb, hparams_config = NULL, session_group = NULL,
                            session_status = NULL, session_start_secs = NULL, session_end_secs = NULL,
                            session_model_uri = NULL, session_monitor_url = NULL, started_at = NULL,
                            last_event_at = NULL WHERE id = ?""")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setLong(1, runId);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
