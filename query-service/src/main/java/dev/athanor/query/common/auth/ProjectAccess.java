package dev.athanor.query.common.auth;

import dev.athanor.auth.Caller;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.ItemProjects;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the current caller may read, for the query services: the readable projects for SQL filters,
 * and "this experiment / run exists and is readable" checks that answer 404 otherwise, so items
 * of other projects look exactly like items that do not exist.
 */
@ApplicationScoped
public class ProjectAccess implements ItemProjects {

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

    /** 404 unless the run exists in a project the caller may read. */
    public void requireRun(long runId, String where) {
        readableProject(RUN, runId, where, "run " + runId + " not found");
    }

    /** The path parameters naming a project's item, for the auth edge ({@link QueryAccessRules}). */
    @Override
    public List<String> parameters() {
        return List.of("experimentId", "runId", "segmentId");
    }

    /** The project of the item a path parameter names; empty when it does not exist. */
    @Override
    public Optional<String> projectOf(String pathParameter, long id) {
        String query = switch (pathParameter) {
            case "experimentId" -> EXPERIMENT;
            case "runId" -> RUN;
            case "segmentId" -> SEGMENT;
            default -> throw new IllegalArgumentException("no project lookup for " + pathParameter);
        };
        return jdbc.one(SqlFragment.builder().sql(query).param(id).build(), rs -> rs.getString(1));
    }

    private static final String EXPERIMENT =
            "SELECT p.name FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.id = ";
    private static final String RUN = "SELECT p.name FROM run r JOIN experiment e ON e.id = r.experiment_id"
            + " JOIN project p ON p.id = e.project_id WHERE r.id = ";
    private static final String SEGMENT = "SELECT p.name FROM raw_segment s JOIN run r ON r.id = s.run_id"
            + " JOIN experiment e ON e.id = r.experiment_id JOIN project p ON p.id = e.project_id WHERE s.id = ";

    private String readableProject(String query, long id, String where, String notFound) {
        if (caller().grants().isSuperuser()) {
            return null;
        }
        Optional<String> project = jdbc.one(SqlFragment.builder().sql(query).param(id).build(), rs -> rs.getString(1));
        if (project.isEmpty() || !mayRead(project.get())) {
            throw new NotFoundException(where, notFound);
        }
        return project.get();
    }
}
