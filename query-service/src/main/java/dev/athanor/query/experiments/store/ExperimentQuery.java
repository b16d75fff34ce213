package dev.athanor.query.experiments.store;

import java.util.Set;

/**
 * Which experiments to list and in what order.
 *
 * @param project    project name, or null for all projects
 * @param name       exact experiment name, or null
 * @param search     case-insensitive substring of the name, or null
 * @param sort       sort key
 * @param descending sort direction
 * @param projects   only experiments of these projects (the caller's readable ones), or null for all
 */
public record ExperimentQuery(String project, String name, String search, Sort sort, boolean descending,
                              Set<String> projects) {

    public ExperimentQuery {
        projects = projects == null ? null : Set.copyOf(projects);
    }

    public ExperimentQuery(String project, String name, String search, Sort sort, boolean descending) {
        this(project, name, search, sort, descending, null);
    }

    public enum Sort {
        NAME, CREATED, UPDATED, ID
    }

    public static ExperimentQuery all() {
        return new ExperimentQuery(null, null, null, Sort.NAME, false);
    }
}
