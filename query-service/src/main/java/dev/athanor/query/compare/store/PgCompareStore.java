package dev.athanor.query.compare.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.util.Collection;
import java.util.List;

/**
 * {@link CompareStore} over the index: the series roll-ups (the "latest" columns the run list and
 * the filter language read) plus, per series, the step of its minimum and of its maximum. Those
 * two open one chunk each: the first chunk (by step) whose own roll-up holds the series' extreme,
 * found through the (series_id, first_step) key, then the first point in it with that value.
 */
public final class PgCompareStore implements CompareStore {

    private static final String STEP_OF = """
            LEFT JOIN LATERAL (SELECT p.step FROM (SELECT c.steps, c.vals FROM scalar_chunk c
                    WHERE c.series_id = s.id AND c.%1$s_value = s.%1$s_value ORDER BY c.first_step LIMIT 1) c,
                unnest(c.steps, c.vals) AS p(step, val)
                WHERE p.val = s.%1$s_value ORDER BY p.step LIMIT 1) %1$s_at ON s.%1$s_value IS NOT NULL
            """;

    private final Jdbc jdbc;

    public PgCompareStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<MetricSummary> summaries(Collection<Long> runIds, Collection<String> tags) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("""
                SELECT s.run_id, s.tag, s.point_count, s.last_step,
                    CASE WHEN s.last_value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE s.last_value END AS last_value,
                    s.min_value, min_at.step AS min_step, s.max_value, max_at.step AS max_step
                FROM series s
                """ + STEP_OF.formatted("min") + STEP_OF.formatted("max")
                + " WHERE s.data_class = 1 AND s.run_id = ANY(").param(List.copyOf(runIds)).sql(")");
        if (!tags.isEmpty()) {
            sql.sql(" AND s.tag = ANY(").param(List.copyOf(tags)).sql(")");
        }
        sql.sql(" ORDER BY s.tag, s.run_id");
        return jdbc.list(sql.build(), rs -> new MetricSummary(rs.getLong("run_id"), rs.getString("tag"),
                rs.getLong("point_count"), Jdbc.getLong(rs, "last_step"), Jdbc.getDouble(rs, "last_value"),
                Jdbc.getDouble(rs, "min_value"), Jdbc.getLong(rs, "min_step"), Jdbc.getDouble(rs, "max_value"),
                Jdbc.getLong(rs, "max_step")));
    }

    @Override
    public List<String> scalarTags(Collection<Long> runIds) {
        return jdbc.list(SqlFragment.builder().sql("SELECT DISTINCT s.tag FROM series s WHERE s.data_class = 1"
                + " AND s.run_id = ANY(").param(List.copyOf(runIds)).sql(") ORDER BY s.tag").build(), rs -> rs.getString(1));
    }
}
