package dev.athanor.query.experiments.service;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.ConflictException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.curate.store.CurateStore;
import dev.athanor.wire.WireNames;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.experiments.store.Experiment;
import dev.athanor.query.experiments.store.ExperimentQuery;
import dev.athanor.query.experiments.store.ExperimentStore;
import dev.athanor.query.common.auth.ProjectAccess;
import jakarta.enterprise.context.ApplicationScoped;
import dev.athanor.query.common.api.TextField;
import java.util.Locale;
import java.util.Map;

/** Experiment listing and lookup, with the sort parameter validated. */
@ApplicationScoped
public class ExperimentService {

    private final ExperimentStore store;
    private final CurateStore curate;
    private final ProjectAccess access;

    public ExperimentService(ExperimentStore store, CurateStore curate, ProjectAccess access) {
        this.store = store;
        this.curate = curate;
        this.access = access;
    }

    public Page<Experiment> list(String project, String name, String search, String sort, PageRequest page) {
        boolean descending = false;
        ExperimentQuery.Sort key = ExperimentQuery.Sort.NAME;
        if (sort != null && !sort.isBlank()) {
            String s = sort.trim();
            if (s.startsWith("-")) {
                descending = true;
                s = s.substring(1);
            }
            key = switch (s.toLowerCase(Locale.ROOT)) {
                case "name" -> ExperimentQuery.Sort.NAME;
                case "created" -> ExperimentQuery.Sort.CREATED;
                case "updated" -> ExperimentQuery.Sort.UPDATED;
                case "id" -> ExperimentQuery.Sort.ID;
                default -> throw new BadInputException("sort",
                        "sort must be one of name, created, updated, id (prefix '-' for descending); got '" + sort + "'");
            };
        }
        return store.list(new ExperimentQuery(blankToNull(project), blankToNull(name), blankToNull(search), key, descending,
                access.readableProjects()),
                page);
    }

    public Experiment get(long id) {
        // Another project's experiment answers exactly like a missing one.
        return store.find(id).filter(e -> access.mayRead(e.project()))
                .orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("experimentId", "experiment " + id + " not found");
    }

    /** Longest experiment description (Markdown). */
    public static final int MAX_DESCRIPTION = 65_536;

    /**
     * Renames the experiment and/or sets its description from a PATCH body {@code {"name": "…",
     * "description": "…"}} (a null or "" description clears it). Both fields are checked before
     * either is written. Writer of the project is checked, and the call audited, by the AuthFilter
     * ({@code {experimentId}}).
     */
    public Experiment patch(long id, Map<String, Object> body) {
        Experiment experiment = get(id);
        if (body == null || body.isEmpty()) {
            throw new BadInputException("body", "a JSON object with name and/or description is required");
        }
        for (String field : body.keySet()) {
            if (!field.equals("description") && !field.equals("name")) {
                throw new BadInputException("body." + field, "unknown field '" + field
                        + "'; an experiment's editable fields are name and description");
            }
        }
        String description = body.containsKey("description")
                ? TextField.check("body.description", body.get("description"), MAX_DESCRIPTION, true) : null;
        String name = body.containsKey("name") ? newName(experiment, body.get("name")) : null;
        if (name != null) {
            rename(experiment, name);
        }
        if (body.containsKey("description")
                && !store.updateDescription(id, description == null ? "" : description)) {
            throw notFound(id);
        }
        return get(id);
    }

    /** The new name when it is acceptable and differs (null when it is the current one). */
    private static String newName(Experiment experiment, Object value) {
        if (!(value instanceof String name)) {
            throw new BadInputException("body.name", "name must be a string; got " + TextField.describe(value));
        }
        String problem = WireNames.experimentNameProblem(name);
        if (problem != null) {
            throw new BadInputException("body.name", problem);
        }
        return name.equals(experiment.name()) ? null : name;
    }

    /**
     * Refused while a run of it is RUNNING: ingest writes a live run's raw log under the
     * experiment's name (the hot root's logdir layout); finished runs keep the files where they
     * are, found through raw_segment.relative_path.
     */
    private void rename(Experiment experiment, String name) {
        var place = curate.experiment(experiment.id()).orElseThrow();
        if ("RUNNING".equals(place.status())) {
            throw new ConflictException("experimentId", "experiment " + experiment.id() + " has RUNNING runs: rename"
                    + " it once they have finished (ingest writes their raw logs under its current name)");
        }
        if (!curate.renameExperiment(experiment.id(), name)) {
            throw new ConflictException("body.name", "project '" + experiment.project() + "' already has an"
                    + " experiment named '" + name + "' (in its list or in the trash)");
        }
    }

    /** Fails with 404 when the experiment does not exist. */
    public void requireExists(long id) {
        // Not get(id): that counts the experiment's runs, a scan of 100,000 rows before every run search.
        if (store.projectOf(id).filter(access::mayRead).isEmpty()) {
            throw notFound(id);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
