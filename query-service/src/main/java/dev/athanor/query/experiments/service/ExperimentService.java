package dev.athanor.query.experiments.service;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
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
    private final ProjectAccess access;

    public ExperimentService(ExperimentStore store, ProjectAccess access) {
        this.store = store;
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
                .orElseThrow(() -> new NotFoundException("experimentId", "experiment " + id + " not found"));
    }

    /** Longest experiment description (Markdown). */
    public static final int MAX_DESCRIPTION = 65_536;

    /**
     * Sets the description from a PATCH body {@code {"description": "…"}} (null or "" clears it).
     * Writer of the project is checked, and the call audited, by the AuthFilter ({@code {experimentId}}).
     */
    public Experiment patch(long id, Map<String, Object> body) {
        get(id);
        if (body == null || body.isEmpty()) {
            throw new BadInputException("body", "a JSON object with description is required");
        }
        for (String field : body.keySet()) {
            if (!field.equals("description")) {
                throw new BadInputException("body." + field, "unknown field '" + field
                        + "'; an experiment's editable field is description");
            }
        }
        String description = TextField.check("body.description", body.get("description"), MAX_DESCRIPTION, true);
        if (!store.updateDescription(id, description == null ? "" : description)) {
            throw new NotFoundException("experimentId", "experiment " + id + " not found");
        }
        return get(id);
    }

    /** Fails with 404 when the experiment does not exist. */
    public void requireExists(long id) {
        get(id);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
