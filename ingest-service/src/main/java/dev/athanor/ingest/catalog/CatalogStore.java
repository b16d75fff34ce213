package dev.athanor.ingest.catalog;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Projects, experiments and runs in PostgreSQL. Creation is idempotent by name. Experiments and
 * runs are cached once seen, so uploads to known runs keep working (into the raw log) while
 * PostgreSQL is unavailable; a cached run id is checked again at most every {@link #RECHECK}: a run
 * moved to the trash is refused (FAILED_PRECONDITION naming it and how to restore it), and a purged
 * run's name starts a new run with a new id instead of writing under the id that is gone.
 */
@ApplicationScoped
public class CatalogStore {

    private final AgroalDataSource dataSource;
    private final Map<Long, ExperimentRef> experiments = new ConcurrentHashMap<>();
    private final Map<RunKey, CachedRun> runIds = new ConcurrentHashMap<>();
    /** How long a cached run id is used without asking PostgreSQL whether it was trashed or purged. */
    public static final long RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    public static final java.time.Duration RECHECK = java.time.Duration.ofNanos(RECHECK_NANOS);

    private record CachedRun(long id, long checkedAt) {
    }
    /** Runs known to have ended (FINISHED or FAILED): new data for one reopens it (see reopenIfEnded). */
    private final Set<Long> endedRuns = ConcurrentHashMap.newKeySet();

    private record RunKey(long experimentId, String path) {
    }

    public CatalogStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ExperimentRef createExperiment(String project, String name, String description) throws SQLException {
        return createExperiment(project, name, description, false);
    }

    /**
     * @param createProject create the project row when it is missing (auth on: projects are granted
     *                      in Keycloak, and the caller was checked to be a writer of it)
     */
    public ExperimentRef createExperiment(String project, String name, String description, boolean createProject)
            throws SQLException {
        String projectName = project == null || project.isEmpty() ? "default" : project;
        Names.experimentName("name", name);
        try (Connection c = dataSource.getConnection()) {
            if (createProject) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO project (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
                    ps.setString(1, projectName);
                    ps.executeUpdate();
                }
            }
            long projectId;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM project WHERE name = ?")) {
                ps.setString(1, projectName);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("project '" + projectName + "' does not exist");
                    }
                    projectId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO experiment (project_id, name, description) VALUES (?, ?, ?)
                    ON CONFLICT (project_id, name) DO NOTHING""")) {
                ps.setLong(1, projectId);
                ps.setString(2, name);
                ps.setString(3, description == null ? "" : description);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, name, description, created_at, trashed_at FROM experiment
                    WHERE project_id = ? AND name = ?""")) {
                ps.setLong(1, projectId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ExperimentRef ref = new ExperimentRef(rs.getLong(1), projectName, rs.getString(2),
                            rs.getString(3), rs.getTimestamp(4).toInstant());
                    if (rs.getTimestamp(5) != null) {
                        throw trashed(ref, rs.getTimestamp(5).toInstant());
                    }
                    experiments.put(ref.id(), ref);
                    return ref;
                }
            }
        }
    }

    /** The experiment, from the cache or PostgreSQL; NotFoundException if there is none. */
    public ExperimentRef experiment(long id) throws SQLException {
        ExperimentRef cached = experiments.get(id);
        if (cached != null) {
            return cached;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT e.id, p.name, e.name, e.description, e.created_at
                     FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("experiment " + id + " does not exist");
                }
                ExperimentRef ref = new ExperimentRef(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant());
                experiments.put(id, ref);
                return ref;
            }
        }
    }

    /** Parses a client-supplied experiment id; a malformed one cannot name any experiment. */
    public static long parseExperimentId(String field, String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException(field + ": experiment '" + Names.printable(id) + "' does not exist");
        }
    }

    /** Creates the run if needed and returns it (idempotent by experiment and path). */
    public RunRef createRun(ExperimentRef experiment, String path) throws SQLException {
        Names.runPath("path", path);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO run (experiment_id, path)
                    SELECT id, ? FROM experiment WHERE id = ? AND trashed_at IS NULL
                    ON CONFLICT (experiment_id, path) DO NOTHING""")) {
                ps.setString(1, path);
                ps.setLong(2, experiment.id());
                ps.executeUpdate();
            }
            RunRef run = selectRun(c, experiment, path);
            remember(run);
            return run;
        }
    }

    /**
     * The id of a run, creating the run if needed; answered from the cache when the run was seen
     * less than {@link #RECHECK} ago, or when PostgreSQL cannot be asked.
     */
    public long runId(ExperimentRef experiment, String path) throws SQLException {
        CachedRun cached = runIds.get(new RunKey(experiment.id(), path));
        if (cached != null && System.nanoTime() - cached.checkedAt() < RECHECK_NANOS) {
            return cached.id();
        }
        try {
            return createRun(experiment, path).id();
        } catch (SQLException e) {
            if (cached != null) {
                return cached.id();
            }
            throw e;
        }
    }

    /**
     * The id of a run that exists, without creating it: from the cache as {@link #runId} answers,
     * else from PostgreSQL; empty when there is no such run. For work done ahead of a batch's turn,
     * which must not create a run the batch may never reach: a stream that failed first would leave
     * an empty run in every listing.
     */
    public OptionalLong existingRunId(ExperimentRef experiment, String path) throws SQLException {
        CachedRun cached = runIds.get(new RunKey(experiment.id(), path));
        if (cached != null && System.nanoTime() - cached.checkedAt() < RECHECK_NANOS) {
            return OptionalLong.of(cached.id());
        }
        try (Connection c = dataSource.getConnection()) {
            RunRef run = selectRun(c, experiment, path);
            remember(run);
            return OptionalLong.of(run.id());
        } catch (NotFoundException e) {
            return OptionalLong.empty();
        } catch (SQLException e) {
            if (cached != null) {
                return OptionalLong.of(cached.id());
            }
            throw e;
        }
    }

    /**
     * Marks a run FINISHED or FAILED, with an event in its history when that changes its status (a
     * FinishRun passed on to the run's owner changes nothing twice); NotFoundException if the run
     * does not exist.
     */
    public RunRef finishRun(ExperimentRef experiment, String path, String status) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH before AS (
                        SELECT id, status FROM run WHERE experiment_id = ? AND path = ? FOR UPDATE
                    ), ended AS (
                        UPDATE run r SET status = ?, ended_at = now() FROM before WHERE r.id = before.id
                        RETURNING r.id, before.status AS was
                    )
                    INSERT INTO run_event (run_id, kind, detail)
                    SELECT id, ?, ? FROM ended WHERE was <> ?
                    RETURNING run_id""")) {
                ps.setLong(1, experiment.id());
                ps.setString(2, path);
                ps.setString(3, status);
                ps.setString(4, status);
                ps.setString(5, "marked " + status.toLowerCase(Locale.ROOT) + " by FinishRun");
                ps.setString(6, status);
                ps.executeQuery().close();
            }
            RunRef run;
            try {
                run = selectRun(c, experiment, path);
            } finally {
                c.commit();
            }
            remember(run);
            return run;
        }
    }

    /**
     * New data arrived for the run: if it had ended, it is RUNNING again (resumed training, or a
     * file written after the job was marked finished), with a REOPENED event in its history saying
     * which file brought it. Answered from memory for runs not known to have ended, so uploads of
     * live runs never wait for PostgreSQL here.
     *
     * @return true when this call reopened the run
     */
    public boolean reopenIfEnded(long runId, String fileName) throws SQLException {
        if (!endedRuns.contains(runId)) {
            return false;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH before AS (
                    SELECT id, status FROM run WHERE id = ? FOR UPDATE
                ), reopened AS (
                    UPDATE run r SET status = 'RUNNING', ended_at = NULL FROM before
                     WHERE r.id = before.id AND before.status <> 'RUNNING'
                    RETURNING r.id, before.status AS was
                )
                INSERT INTO run_event (run_id, kind, detail)
                SELECT id, 'REOPENED', 'new data in ' || ? || ' after the run ended ' || lower(was) FROM reopened
                RETURNING run_id""")) {
            ps.setLong(1, runId);
            ps.setString(2, fileName);
            boolean reopened;
            try (ResultSet rs = ps.executeQuery()) {
                reopened = rs.next();
            }
            endedRuns.remove(runId);
            return reopened;
        }
    }

    private void remember(RunRef run) {
        runIds.put(new RunKey(run.experiment().id(), run.path()), new CachedRun(run.id(), System.nanoTime()));
        if ("RUNNING".equals(run.status())) {
            endedRuns.remove(run.id());
        } else {
            endedRuns.add(run.id());
        }
    }

    /** Every run path of an experiment with its id. */
    public List<RunRef> runs(ExperimentRef experiment) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT id, path, status, started_at, ended_at FROM run WHERE experiment_id = ? ORDER BY path""")) {
            ps.setLong(1, experiment.id());
            List<RunRef> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunRef run = new RunRef(rs.getLong(1), experiment, rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)));
                    remember(run);
                    runs.add(run);
                }
            }
            return runs;
        }
    }

    /** The run; PreconditionException when it or its experiment is in the trash. */
    private static RunRef selectRun(Connection c, ExperimentRef experiment, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, path, status, started_at, ended_at, trashed_at,
                       (SELECT e.trashed_at FROM experiment e WHERE e.id = ?) AS experiment_trashed_at
                FROM run WHERE experiment_id = ? AND path = ?""")) {
            ps.setLong(1, experiment.id());
            ps.setLong(2, experiment.id());
            ps.setString(3, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    refuseTrashedExperiment(c, experiment);
                    throw new NotFoundException("run '" + Names.printable(path) + "' of experiment "
                            + experiment.id() + " does not exist");
                }
                if (rs.getTimestamp(7) != null) {
                    throw trashed(experiment, rs.getTimestamp(7).toInstant());
                }
                if (rs.getTimestamp(6) != null) {
                    long id = rs.getLong(1);
                    throw new PreconditionException("run " + id + " ('" + Names.printable(path) + "' of experiment '"
                            + Names.printable(experiment.name()) + "', project '" + experiment.project()
                            + "') is in the trash since " + rs.getTimestamp(6).toInstant() + ": nothing is written to"
                            + " it, and your files stay in your logdir. Restore it (athanor runs restore " + id
                            + ", or POST /api/v1/runs/" + id + "/restore) and upload again, or upload under another"
                            + " run name");
                }
                return new RunRef(rs.getLong(1), experiment, rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)));
            }
        }
    }

    private static void refuseTrashedExperiment(Connection c, ExperimentRef experiment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT trashed_at FROM experiment WHERE id = ?")) {
            ps.setLong(1, experiment.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    throw trashed(experiment, rs.getTimestamp(1).toInstant());
                }
            }
        }
    }

    private static PreconditionException trashed(ExperimentRef experiment, Instant since) {
        return new PreconditionException("experiment " + experiment.id() + " ('" + Names.printable(experiment.name())
                + "', project '" + experiment.project() + "') is in the trash since " + since + ": nothing is"
                + " written to it, and your files stay in your logdir. Restore it (POST /api/v1/experiments/"
                + experiment.id() + "/restore) and upload again, or upload to another experiment");
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
