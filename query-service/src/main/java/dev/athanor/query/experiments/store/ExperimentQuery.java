package dev.athanor.query.experiments.store;

/**
 * Which experiments to list and in what order.
 *
 * @param project    project name, or null for all projects
 * @param name       exact experiment name, or null
 * @param search     case-insensitive substring of the name, or null
 * @param sort       sort key
 * @param descending sort direction
 */
public record ExperimentQuery(String project, String name, String search, Sort sort, boolean descending) {

    public enum Sort {
        NAME, CREATED, UPDATED, ID
    }

    public static ExperimentQuery all() {
        return new ExperimentQuery(null, null, null, Sort.NAME, false);
    }
}
