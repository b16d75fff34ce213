package dev.athanor.query.checks.store;

import dev.athanor.query.common.jdbc.Trash;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.sql.FilterCompiler;
import dev.athanor.query.querylang.sql.MetricSeries;
import dev.athanor.query.querylang.sql.NonFiniteSteps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CheckStore}: the assertion is compiled like a run filter and evaluated per run in one
 * query, together with every value it refers to, so the answer shows what was seen. For
 * {@code no nan in} the first offending step is found by opening only chunks whose roll-up counts
 * NaN (or Inf) values.
 */
public final class PgCheckStore implements CheckStore {

    private final Jdbc jdbc;

    public PgCheckStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** What a column holds: a plain value, a metric (null means missing), JSON text, or an optional value. */
    private enum Kind {
        VALUE, METRIC, JSON, OPTIONAL
    }

    private record Column(String key, SqlFragment sql, Kind kind) {
    }

    @Override
    public List<RunOutcome> evaluate(List<Long> runIds, Expr assertion) {
        FilterCompiler compiler = new FilterCompiler("assertion");
        List<Column> columns = new ArrayList<>();
        collect(assertion, compiler, columns);
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id, r.path, ").append(compiler.predicate(assertion))
                .sql(" AS passed");
        for (int i = 0; i < columns.size(); i++) {
            sql.sql(", ").append(columns.get(i).sql()).sql(" AS c" + i);
        }
        sql.sql(" FROM run r WHERE " + Trash.runVisible("r") + " AND r.id = ANY(").param(runIds).sql(") ORDER BY r.path, r.id");
        return jdbc.list(sql.build(), rs -> outcome(rs, columns));
    }

    private static RunOutcome outcome(ResultSet rs, List<Column> columns) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Object value = rs.getObject("c" + i);
            if (value != null && columns.get(i).kind() == Kind.JSON) {
                value = new RawValue(value.toString());
            } else if (value instanceof Timestamp t) {
                value = t.toInstant();
            } else if (value instanceof Number n && !(value instanceof Long) && !(value instanceof Integer)) {
                value = n.doubleValue();
            }
            values.put(columns.get(i).key(), value);
            if (value == null && columns.get(i).kind() == Kind.METRIC) {
                missing.add(columns.get(i).key());
            }
        }
        boolean passed = rs.getBoolean("passed");
        String detail = null;
        if (!passed && !missing.isEmpty()) {
            detail = "no value for " + String.join(", ", missing)
                    + " (the run has no such scalar series, no point at that step, or the value is NaN)";
        }
        return new RunOutcome(rs.getLong("id"), rs.getString("path"), passed, values, detail);
    }

    /** Every operand the assertion reads, once, in order of appearance. */
    private static void collect(Expr expr, FilterCompiler compiler, List<Column> out) {
        switch (expr) {
            case Expr.And and -> and.terms().forEach(t -> collect(t, compiler, out));
            case Expr.Or or -> or.terms().forEach(t -> collect(t, compiler, out));
            case Expr.Not not -> collect(not.term(), compiler, out);
            case Expr.Comparison c -> operand(c.operand(), compiler, out);
            case Expr.InList in -> operand(in.operand(), compiler, out);
            case Expr.Match m -> operand(m.operand(), compiler, out);
            case Expr.IsNull n -> operand(n.operand(), compiler, out);
            case Expr.NoNonFinite n -> nonFinite(n, out);
        }
    }

    private static void operand(Operand operand, FilterCompiler compiler, List<Column> out) {
        String key = operand.display();
        if (out.stream().noneMatch(c -> c.key().equals(key))) {
            SqlFragment value = compiler.value(operand);
            if (operand instanceof Operand.Hparam) {
                value = SqlFragment.builder().append(value).sql("::text").build();
            }
            out.add(new Column(key, value, operand instanceof Operand.Metric ? Kind.METRIC
                    : operand instanceof Operand.Hparam ? Kind.JSON : Kind.VALUE));
        }
    }

    private static void nonFinite(Expr.NoNonFinite n, List<Column> out) {
        String metric = "metrics." + n.metric().tag();
        SqlFragment series = MetricSeries.OWN_RUN.seriesPredicate(n.metric().tag());
        if (n.kind() != Expr.NonFinite.INF) {
            add(out, "nan_count(" + metric + ")", SqlFragment.builder().sql("(SELECT s.nan_count FROM series s WHERE ")
                    .append(series).sql(")").build(), Kind.METRIC);
            add(out, "first_nan_step(" + metric + ")", NonFiniteSteps.first(series, Expr.NonFinite.NAN, Long.MIN_VALUE),
                    Kind.OPTIONAL);
        }
        if (n.kind() != Expr.NonFinite.NAN) {
            add(out, "inf_count(" + metric + ")", SqlFragment.builder().sql("(SELECT s.inf_count FROM series s WHERE ")
                    .append(series).sql(")").build(), Kind.METRIC);
            add(out, "first_inf_step(" + metric + ")", NonFiniteSteps.first(series, Expr.NonFinite.INF, Long.MIN_VALUE),
                    Kind.OPTIONAL);
        }
        assert n.metric().aggregate().kind() == Aggregate.Kind.LAST;
    }

    private static void add(List<Column> out, String key, SqlFragment sql, Kind kind) {
        if (out.stream().noneMatch(c -> c.key().equals(key))) {
            out.add(new Column(key, sql, kind));
        }
    }
}
