package dev.athanor.query.alerts.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.querylang.ast.AlertCondition;
import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.Operands;
import dev.athanor.query.querylang.sql.FilterCompiler;
import dev.athanor.query.querylang.sql.MetricSeries;
import dev.athanor.query.querylang.sql.NonFiniteSteps;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One rule compiled to one query over a batch of runs: per run, whether the rule's filter selects
 * it, whether the condition fires, and the value and step it concerns. Built on the run filter's
 * compiler, so every value from the rule is a bound parameter.
 */
public final class ConditionQuery {

    private final AlertCondition condition;
    private final Expr filter;

    /** Parses both texts; a {@code QuerySyntaxException} (a 400) names the field and column. */
    public ConditionQuery(String filter, String condition) {
        this.filter = filter == null ? null : Parser.parseFilter("filter", filter);
        this.condition = Parser.parseAlertCondition("condition", condition);
        sql(List.of()); // compile once, so type errors (label > 3) surface when the rule is saved
    }

    public AlertCondition condition() {
        return condition;
    }

    public boolean isStall() {
        return condition instanceof AlertCondition.Stalled;
    }

    public List<RunVerdict> evaluate(Connection c, Jdbc jdbc, List<Long> runIds) throws SQLException {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return jdbc.list(c, sql(runIds), this::verdict);
    }

    /** The query over these runs (for tests and EXPLAIN). */
    public SqlFragment sql(List<Long> runIds) {
        SqlFragment selected = filter == null ? SqlFragment.of("true") : new FilterCompiler("filter").predicate(filter);
        FilterCompiler compiler = new FilterCompiler("condition");
        SqlFragment.Builder b = SqlFragment.builder().sql("SELECT r.id, r.path, r.experiment_id, e.name AS experiment, (")
                .append(selected).sql(") AS selected, ");
        String from = " FROM run r JOIN experiment e ON e.id = r.experiment_id";
        switch (condition) {
            case AlertCondition.Holds h -> {
                b.sql("(").append(compiler.predicate(h.expr())).sql(")");
                if (h.afterStep().isPresent()) {
                    for (String tag : tags(h.expr())) {
                        b.sql(" AND COALESCE((SELECT s.last_step FROM series s WHERE ").append(series(tag))
                                .sql(") >= ").param("?::bigint", h.afterStep().getAsLong()).sql(", false)");
                    }
                }
                b.sql(" AS fires, ");
                Operand first = firstOperand(h.expr());
                switch (first) {
                    case Operand.Metric m -> {
                        b.append(compiler.value(m)).sql("::float8 AS value, NULL::text AS vtext, ");
                        if (m.aggregate().kind() == Aggregate.Kind.STEP) {
                            b.param("?::bigint", m.aggregate().step());
                        } else {
                            b.sql("(SELECT s.last_step FROM series s WHERE ").append(series(m.tag())).sql(")");
                        }
                        b.sql(" AS step");
                    }
                    default -> b.sql("NULL::float8 AS value, (").append(compiler.value(first))
                            .sql(")::text AS vtext, NULL::bigint AS step");
                }
            }
            case AlertCondition.Broken br -> {
                String tag = br.guard().metric().tag();
                b.sql("(f.step IS NOT NULL) AS fires, (SELECT c.vals[array_position(c.steps, f.step)] FROM series s"
                                + " JOIN scalar_chunk c ON c.series_id = s.id WHERE ").append(series(tag))
                        .sql(" AND c.first_step <= f.step AND c.last_step >= f.step LIMIT 1) AS value, NULL::text AS vtext,"
                                + " f.step AS step");
                SqlFragment first = NonFiniteSteps.first(series(tag), br.guard().kind(),
                        br.afterStep().orElse(Long.MIN_VALUE));
                b.sql(from + " LEFT JOIN LATERAL (SELECT ").append(first).sql(" AS step) f ON true");
                return where(b, runIds);
            }
            case AlertCondition.Stalled st -> {
                SqlFragment lastWall = SqlFragment.builder().sql("(SELECT s.last_wall_time FROM series s WHERE ")
                        .append(series(st.metric().tag())).sql(")").build();
                b.sql("(r.status = 'RUNNING' AND COALESCE(").append(lastWall)
                        .sql(" < extract(epoch FROM clock_timestamp()) - ").param("?::float8", (double) st.quietFor().toSeconds())
                        .sql(", false)) AS fires, extract(epoch FROM clock_timestamp()) - ").append(lastWall)
                        .sql(" AS value, NULL::text AS vtext, (SELECT s.last_step FROM series s WHERE ")
                        .append(series(st.metric().tag())).sql(") AS step");
            }
        }
        b.sql(from);
        return where(b, runIds);
    }

    private static SqlFragment where(SqlFragment.Builder b, List<Long> runIds) {
        return b.sql(" WHERE r.id = ANY(").param(runIds).sql(") ORDER BY r.id").build();
    }

    private static SqlFragment series(String tag) {
        return MetricSeries.OWN_RUN.seriesPredicate(tag);
    }

    private RunVerdict verdict(ResultSet rs) throws SQLException {
        boolean fires = rs.getBoolean("selected") && rs.getBoolean("fires");
        Double value = Jdbc.getDouble(rs, "value");
        Long step = Jdbc.getLong(rs, "step");
        return new RunVerdict(rs.getLong("id"), rs.getString("path"), rs.getLong("experiment_id"),
                rs.getString("experiment"), fires, value, step, observed(value, rs.getString("vtext"), step));
    }

    /** What was seen, as a sentence for people: "metrics.loss is NaN at step 42". */
    private String observed(Double value, String text, Long step) {
        String at = step == null ? "" : " at step " + step;
        return switch (condition) {
            case AlertCondition.Broken br -> step == null
                    ? "metrics." + br.guard().metric().tag() + " holds no " + kindWord(br.guard().kind())
                    : "metrics." + br.guard().metric().tag() + " is " + (value == null ? kindWord(br.guard().kind())
                    : value.toString()) + at;
            case AlertCondition.Stalled st -> value == null ? "metrics." + st.metric().tag() + " has no points"
                    : "no new point in metrics." + st.metric().tag() + " for " + Math.round(value) + " s (the last"
                    + at + ")";
            case AlertCondition.Holds h -> {
                Operand first = firstOperand(h.expr());
                String shown = first instanceof Operand.Metric ? (value == null ? "missing (or NaN)" : value.toString())
                        : text == null ? "null" : text;
                yield first.display() + " = " + shown + (first instanceof Operand.Metric ? at : "");
            }
        };
    }

    private static String kindWord(Expr.NonFinite kind) {
        return switch (kind) {
            case NAN -> "NaN";
            case INF -> "infinity";
            case NONFINITE -> "NaN or infinity";
        };
    }

    /** The operand the rule is mainly about: the first one written. */
    static Operand firstOperand(Expr expr) {
        return Operands.of(expr).get(0);
    }

    /** The tags of every metric the expression names. */
    static Set<String> tags(Expr expr) {
        Set<String> out = new LinkedHashSet<>();
        Operands.of(expr).stream().filter(o -> o instanceof Operand.Metric).forEach(o -> out.add(((Operand.Metric) o).tag()));
        return out;
    }
}
