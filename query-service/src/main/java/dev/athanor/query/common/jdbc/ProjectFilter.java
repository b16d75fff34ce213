package dev.athanor.query.common.jdbc;

import java.util.List;
import java.util.Set;

/** The SQL condition "in one of the caller's readable projects", appended after a WHERE. */
public final class ProjectFilter {

    private ProjectFilter() {
    }

    /** Appends {@code AND <column> = ANY(projects)}; an empty set matches nothing. */
    public static void append(SqlFragment.Builder sql, String column, Set<String> projects) {
        if (projects.isEmpty()) {
            sql.sql(" AND false");
            return;
        }
        sql.sql(" AND " + column + " = ANY(").param(List.copyOf(projects)).sql(")");
    }
}
