package dev.athanor.query.common.auth;

import dev.athanor.auth.Caller;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * What the current caller may read, for the query services: the readable projects for SQL filters,
 * and "this experiment / run exists and is readable" checks that answer 404 otherwise, so items
 * of other projects look exactly like items that do not exist.
 */
@ApplicationScoped
public class ProjectAccess {

    private final CurrentCaller current;
    private final Jdbc jdbc;

    public ProjectAccess(CurrentCaller current, Jdbc jdbc) {
        this.current = current;
        this.jdbc = jdbc;
    }

    public Caller caller() {
        return current.get();
    }

    /** The caller's readable projects for a SQL filter; null means every project (auth off). */
    public Set<String> readableProjects() {
        return caller().grants().readableProjects().orElse(null);
    }

    public boolean mayRead(String project) {
        return caller().mayRead(project);
    }

    /** 404 unless the experiment exists in a project the caller may read. */
    public void requireExperiment(long experimentId, String where) {
        if (caller().grants().isSuperuser()) {
            return;
        }
        Optional<String> project = jdbc.one(SqlFragment.builder()
                .sql("SELECT p.name FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.id = ")
                .param(experimentId).build(), rs -> rs.getString(1));
        if (project.isEmpty() || !mayRead(project.get())) {
            throw new NotFoundException(where, "experiment " + experimentId + " not found");
        }
    }

    /** 404 unless the run exists in a project the caller may read. */
    public void requireRun(long runId, String where) {
        if (caller().grants().isSuperuser()) {
            return;
        }
        Optional<String> project = jdbc.one(SqlFragment.builder()
                .sql("SELECT p.name FROM run r JOIN experiment e ON e.id = r.experiment_id"
                        + " JOIN project p ON p.id = e.project_id WHERE r.id = ")
                .param(runId).build(), rs -> rs.getString(1));
        if (project.isEmpty() || !mayRead(project.get())) {
            throw new NotFoundException(where, "run " + runId + " not found");
        }
    }
}
