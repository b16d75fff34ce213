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
import java.util.Locale;

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

    /** Fails with 404 when the experiment does not exist. */
    public void requireExists(long id) {
        get(id);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
