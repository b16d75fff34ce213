package dev.athanor.query.querylang.sql;

import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.ast.Expr;

/**
 * The first step at which a scalar series holds a NaN or an infinity, opening only the chunks
 * whose roll-up counts such values: what {@code athanor check} reports beside a broken
 * {@code no nan in} and where an alert on it fires.
 */
public final class NonFiniteSteps {

    private NonFiniteSteps() {
    }

    /**
     * A scalar subquery: the least step at or after {@code fromStep} holding a value of
     * {@code kind} in the series {@code series} selects, or NULL.
     */
    public static SqlFragment first(SqlFragment series, Expr.NonFinite kind, long fromStep) {
        String valueTest = switch (kind) {
            case NAN -> "u.v = 'NaN'::float8";
            case INF -> "u.v IN ('Infinity'::float8, '-Infinity'::float8)";
            case NONFINITE -> "u.v IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)";
        };
        String chunkTest = switch (kind) {
            case NAN -> "c.nan_count > 0";
            case INF -> "c.inf_count > 0";
            case NONFINITE -> "(c.nan_count > 0 OR c.inf_count > 0)";
        };
        return SqlFragment.builder().sql("(SELECT min(u.step) FROM series s JOIN scalar_chunk c ON c.series_id = s.id"
                        + " CROSS JOIN LATERAL unnest(c.steps, c.vals) AS u(step, v) WHERE ").append(series)
                .sql(" AND " + chunkTest + " AND c.last_step >= ").param("?::bigint", fromStep)
                .sql(" AND u.step >= ").param("?::bigint", fromStep).sql(" AND " + valueTest + ")").build();
    }
}
