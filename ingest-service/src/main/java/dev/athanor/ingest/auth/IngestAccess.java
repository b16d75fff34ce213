package dev.athanor.ingest.auth;

import dev.athanor.auth.AccessDeniedException;
import dev.athanor.auth.AuditLog;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.catalog.ExperimentRef;
import dev.athanor.ingest.catalog.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Map;

/**
 * Project checks for the ingest RPCs. An experiment of a project the caller cannot read is "not
 * found", word for word as a missing one; one the caller can read but not write to is
 * PERMISSION_DENIED naming the role. Writes and refusals are audited.
 */
@ApplicationScoped
public class IngestAccess {

    private final CatalogStore catalog;

    public IngestAccess(CatalogStore catalog) {
        this.catalog = catalog;
    }

    /**
     * The experiment, if the caller holds {@code needed} in its project.
     *
     * @param audited whether to write an audit line for this action (writes, deletes, reindex)
     */
    public ExperimentRef experiment(Caller caller, String field, String experimentId, ProjectRole needed,
                                    String action, boolean audited) throws SQLException {
        ExperimentRef experiment;
        try {
            experiment = catalog.experiment(CatalogStore.parseExperimentId(field, experimentId));
        } catch (NotFoundException e) {
            if (audited) {
                AuditLog.record(caller, action, null, Map.of("experiment", experimentId), AuditLog.Outcome.FAILED,
                        e.getMessage());
            }
            throw e;
        }
        if (!caller.mayRead(experiment.project())) {
            if (audited) {
                AuditLog.record(caller, action, experiment.project(), Map.of("experiment", experiment.id()),
                        AuditLog.Outcome.DENIED, "no role in the project (answered not found)");
            }
            throw new NotFoundException("experiment " + experiment.id() + " does not exist");
        }
        if (!caller.grants().may(needed, experiment.project())) {
            AccessDeniedException denied = new AccessDeniedException(action, experiment.project(), needed);
            if (audited) {
                AuditLog.record(caller, action, experiment.project(), Map.of("experiment", experiment.id()),
                        AuditLog.Outcome.DENIED, denied.getMessage());
            }
            throw denied;
        }
        return experiment;
    }

    /** CreateExperiment names its project: the caller must be a writer there. */
    public void requireWriter(Caller caller, String project, String name, String action) {
        if (!caller.mayWrite(project)) {
            AccessDeniedException denied = new AccessDeniedException(action, project, ProjectRole.WRITER);
            AuditLog.record(caller, action, project, Map.of("name", name), AuditLog.Outcome.DENIED, denied.getMessage());
            throw denied;
        }
    }
}
