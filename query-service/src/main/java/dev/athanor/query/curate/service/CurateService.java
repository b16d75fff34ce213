package dev.athanor.query.curate.service;

import dev.athanor.auth.AccessDeniedException;
import dev.athanor.auth.ProjectRole;
import dev.athanor.query.common.auth.ProjectAccess;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.ConflictException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.curate.store.CurateStore;
import dev.athanor.query.curate.store.CurateStore.Place;
import dev.athanor.query.curate.store.Footprint;
import dev.athanor.query.curate.store.TrashEntry;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Delete to the trash, restore, purge, and move runs between experiments. Readable project and,
 * for anything but a GET, writer of it are checked (and the call audited) by the AuthFilter, which
 * sees {@code {runId}} / {@code {experimentId}} in the path and finds trashed items too; purge
 * needs admin, checked here.
 */
@ApplicationScoped
public class CurateService {

    /** Purge requests are answered with what they will remove. */
    public record PurgeRequested(String kind, long id, String project, String name, Footprint footprint) {
    }

    private final CurateStore store;
    private final ProjectAccess access;
    private final RunService runs;
    private final QueryConfig config;

    public CurateService(CurateStore store, ProjectAccess access, RunService runs, QueryConfig config) {
        this.store = store;
        this.access = access;
        this.runs = runs;
        this.config = config;
    }

    public TrashEntry trashRun(long runId) {
        Place run = run(runId);
        if (run.trashed()) {
            throw new ConflictException("runId", "run " + runId + " ('" + run.name() + "') is already in the trash");
        }
        store.trashRun(runId, by());
        return entry("run", run, store.runFootprint(runId));
    }

    public TrashEntry trashExperiment(long experimentId) {
        Place experiment = experiment(experimentId);
        if (experiment.trashed()) {
            throw new ConflictException("experimentId", "experiment " + experimentId + " ('" + experiment.name()
                    + "') is already in the trash");
        }
        store.trashExperiment(experimentId, by());
        return entry("experiment", experiment, store.experimentFootprint(experimentId));
    }

    public Run restoreRun(long runId) {
        Place run = run(runId);
        if (!run.trashed()) {
            throw new ConflictException("runId", "run " + runId + " ('" + run.name() + "') is not in the trash");
        }
        if (run.experimentTrashed()) {
            throw new ConflictException("runId", "run " + runId + " went to the trash with its experiment "
                    + run.experimentId() + " ('" + run.experiment() + "'): restore the experiment");
        }
        if (run.purgeRequested() || !store.restoreRun(runId)) {
            throw purging("runId", "run " + runId);
        }
        return runs.get(runId);
    }

    public Map<String, Object> restoreExperiment(long experimentId) {
        Place experiment = experiment(experimentId);
        if (!experiment.trashed()) {
            throw new ConflictException("experimentId", "experiment " + experimentId + " ('" + experiment.name()
                    + "') is not in the trash");
        }
        if (experiment.purgeRequested() || !store.restoreExperiment(experimentId)) {
            throw purging("experimentId", "experiment " + experimentId);
        }
        return Map.of("id", experimentId, "name", experiment.name(), "restored", true);
    }

    public PurgeRequested purgeRun(long runId) {
        Place run = run(runId);
        requirePurgeable("runId", "run " + runId, run);
        store.requestRunPurge(runId, "ADMIN", by());
        return new PurgeRequested("run", runId, run.project(), run.name(), store.runFootprint(runId));
    }

    public PurgeRequested purgeExperiment(long experimentId) {
        Place experiment = experiment(experimentId);
        requirePurgeable("experimentId", "experiment " + experimentId, experiment);
        store.requestExperimentPurge(experimentId, "ADMIN", by());
        return new PurgeRequested("experiment", experimentId, experiment.project(), experiment.name(),
                store.experimentFootprint(experimentId));
    }

    /** Admin of the project, the item in the trash, and no legal hold on the project. */
    private void requirePurgeable(String where, String what, Place item) {
        if (!access.caller().mayAdmin(item.project())) {
            throw new AccessDeniedException("purge", item.project(), ProjectRole.ADMIN);
        }
        if (!item.trashed()) {
            throw new ConflictException(where, what + " ('" + item.name() + "') is not in the trash: delete it"
                    + " first (DELETE), then purge it from the trash");
        }
        store.legalHold(item.project()).ifPresent(hold -> {
            throw new ConflictException(where, "project '" + item.project() + "' is under legal hold (set by "
                    + hold + "): nothing of it may be purged until an admin clears the hold in its archive policy"
                    + " (PUT /api/v1/projects/" + item.project() + "/archive-policy on archive-service)");
        });
    }

    /** Moves a run to another experiment of the same project; answers the run. */
    public Run moveRun(long runId, Map<String, Object> body) {
        Place run = run(runId);
        if (run.trashed()) {
            throw new NotFoundException("runId", "run " + runId + " not found");
        }
        Object value = body == null ? null : body.get("experiment");
        if (!(value instanceof Number number) || number.doubleValue() != number.longValue()) {
            throw new BadInputException("body.experiment", "experiment must be the id (a number) of the experiment"
                    + " to move the run to; got " + value);
        }
        long target = number.longValue();
        Place experiment = store.experiment(target)
                .filter(e -> !e.trashed() && e.project().equals(run.project()))
                .orElseThrow(() -> new NotFoundException("body.experiment", "experiment " + target + " not found"
                        + " in project '" + run.project() + "' (a run moves only within its project)"));
        if (target == run.experimentId()) {
            return runs.get(runId);
        }
        if ("RUNNING".equals(run.status())) {
            throw new ConflictException("runId", "run " + runId + " ('" + run.name() + "') is still RUNNING: move it"
                    + " once it has finished (its raw log is being written under experiment '" + run.experiment()
                    + "')");
        }
        if (!store.moveRun(runId, target)) {
            throw new ConflictException("body.experiment", "experiment " + target + " ('" + experiment.name()
                    + "') already has a run named '" + run.name() + "' (in its list or in the trash)");
        }
        return runs.get(runId);
    }

    public List<TrashEntry> trash(String project, int limit) {
        if (project != null && !access.mayRead(project)) {
            return List.of();
        }
        return store.list(project, access.readableProjects(), config.trash().retention(), limit);
    }

    private static ConflictException purging(String where, String what) {
        return new ConflictException(where, what + " cannot be restored: its purge has been requested");
    }

    private TrashEntry entry(String kind, Place item, Footprint footprint) {
        Instant now = Instant.now();
        return new TrashEntry(kind, item.id(), item.project(), item.experimentId(), item.experiment(), item.name(),
                now, by(), now.plus(config.trash().retention()), null, null, footprint);
    }

    private Place run(long runId) {
        return store.run(runId).filter(r -> access.mayRead(r.project()))
                .orElseThrow(() -> new NotFoundException("runId", "run " + runId + " not found"));
    }

    private Place experiment(long experimentId) {
        return store.experiment(experimentId).filter(e -> access.mayRead(e.project()))
                .orElseThrow(() -> new NotFoundException("experimentId", "experiment " + experimentId + " not found"));
    }

    private String by() {
        return access.caller().username();
    }
}
