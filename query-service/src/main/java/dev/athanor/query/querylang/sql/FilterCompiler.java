package dev.athanor.query.querylang.sql;

import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.QuerySyntaxException;
import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.CompareOp;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Literal;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.RunAttribute;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles a filter AST to a SQL predicate over {@code run r}. Every value from the input is a
 * bound parameter (hparam names and tags included, passed to the jsonb operators and subqueries
 * as parameters); the SQL text only ever contains fixed fragments chosen here.
 *
 * <p>Logic is two-valued: a comparison whose left side is missing (no such hparam, no such
 * series, a run that has not started) is false, so {@code not} inverts it cleanly. NaN metric
 * values compare as missing; {@code no nan in metrics.x} tests for them.
 */
public final class FilterCompiler {

    private static final Set<String> STATUSES = Set.of("RUNNING", "FINISHED", "FAILED");

    private final String where;
    private final MetricSeries metricSeries;

    public FilterCompiler(String where, MetricSeries metricSeries) {
        this.where = where;
        this.metricSeries = metricSeries;
    }

    public FilterCompiler(String where) {
        this(where, MetricSeries.OWN_RUN);
    }

    /** A boolean SQL expression that is never NULL. */
    public SqlFragment predicate(Expr expr) {
        SqlFragment.Builder b = SqlFragment.builder();
        predicate(expr, b);
        return b.build();
    }

    private void predicate(Expr expr, SqlFragment.Builder b) {
        switch (expr) {
            case Expr.And and -> joined(and.terms(), " AND ", b);
            case Expr.Or or -> joined(or.terms(), " OR ", b);
            case Expr.Not not -> {
                b.sql("NOT (");
                predicate(not.term(), b);
                b.sql(")");
            }
            case Expr.Comparison c -> comparison(c.operand(), c.op(), c.value(), b);
            case Expr.InList in -> {
                if (in.negated()) {
                    b.sql("NOT ");
                }
                b.sql("(");
                for (int i = 0; i < in.values().size(); i++) {
                    if (i > 0) {
                        b.sql(" OR ");
                    }
                    comparison(in.operand(), CompareOp.EQ, in.values().get(i), b);
                }
                b.sql(")");
            }
            case Expr.Match m -> match(m, b);
            case Expr.IsNull n -> isNull(n.operand(), n.negated(), b);
            case Expr.NoNonFinite n -> {
                String test = switch (n.kind()) {
                    case NAN -> "s.nan_count = 0";
                    case INF -> "s.inf_count = 0";
                    case NONFINITE -> "s.nan_count = 0 AND s.inf_count = 0";
                };
                b.sql("COALESCE((SELECT " + test + " FROM series s WHERE ")
                        .append(metricSeries.seriesPredicate(n.metric().tag()))
                        .sql("), false)");
            }
        }
    }

    private void joined(List<Expr> terms, String op, SqlFragment.Builder b) {
        b.sql("(");
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) {
                b.sql(op);
            }
            predicate(terms.get(i), b);
        }
        b.sql(")");
    }

    /**
     * The value of an operand for sorting and projection: attribute columns, the hparam as jsonb
     * (numbers order numerically), the metric as float8 with NaN as NULL.
     */
    public SqlFragment value(Operand operand) {
        return switch (operand) {
            case Operand.Attribute a -> SqlFragment.of(attributeColumn(a.attribute()));
            case Operand.Hparam h -> SqlFragment.of("(r.hparams -> ?::text)", h.name());
            case Operand.Metric m -> metricValue(m);
        };
    }

    private void comparison(Operand operand, CompareOp op, Literal value, SqlFragment.Builder b) {
        if (value instanceof Literal.Null && (op == CompareOp.EQ || op == CompareOp.NE)
                && !(operand instanceof Operand.Hparam)) {
            isNull(operand, op == CompareOp.NE, b);
            return;
        }
        switch (operand) {
            case Operand.Attribute a -> attributeComparison(a, op, value, b);
            case Operand.Hparam h -> hparamComparison(h, op, value, b);
            case Operand.Metric m -> {
                if (!(value instanceof Literal.Num num)) {
                    throw error(value.column(), m.display() + " is a number; compare it with a number, not "
                            + value.display());
                }
                b.sql("COALESCE(").append(metricValue(m)).sql(" " + op.sql() + " ")
                        .param(m.aggregate().kind() == Aggregate.Kind.COUNT ? "?::numeric" : "?::float8",
                                m.aggregate().kind() == Aggregate.Kind.COUNT ? (Object) num.text() : (Object) num.doubleValue())
                        .sql(", false)");
            }
        }
    }

    private void attributeComparison(Operand.Attribute a, CompareOp op, Literal value, SqlFragment.Builder b) {
        if (a.attribute().kind() == RunAttribute.Kind.LABELS) {
            if (!(value instanceof Literal.Str s) || (op != CompareOp.EQ && op != CompareOp.NE)) {
                throw error(value.column(), "label takes = or != with a quoted label, e.g. label = \"baseline\"; got "
                        + op.symbol() + " " + value.display());
            }
            b.sql(op == CompareOp.NE ? "NOT (" : "(").param("?::text", s.value()).sql(" = ANY(r.labels))");
            return;
        }
        if (a.attribute().kind() == RunAttribute.Kind.BOOL) {
            if (!(value instanceof Literal.Bool bool) || (op != CompareOp.EQ && op != CompareOp.NE)) {
                throw error(value.column(), a.display() + " is true or false: use = true or = false; got "
                        + op.symbol() + " " + value.display());
            }
            b.sql("(r.pinned " + op.sql() + " ").param("?::boolean", bool.value()).sql(")");
            return;
        }
        String column = attributeColumn(a.attribute());
        Object param;
        String placeholder = "?";
        switch (a.attribute().kind()) {
            case INTEGER -> {
                if (!(value instanceof Literal.Num num) || !num.isIntegral()) {
                    throw error(value.column(), a.display() + " is a whole number; got " + value.display());
                }
                param = num.longValue();
            }
            case TEXT -> {
                if (!(value instanceof Literal.Str s)) {
                    throw error(value.column(), a.display() + " is text; quote the value: \""
                            + value.display().replace("\"", "") + "\"");
                }
                param = s.value();
            }
            case STATUS -> {
                if (!(value instanceof Literal.Str s) || !STATUSES.contains(s.value().toUpperCase(Locale.ROOT))) {
                    throw error(value.column(), "status is one of \"running\", \"finished\", \"failed\"; got "
                            + value.display());
                }
                param = s.value().toUpperCase(Locale.ROOT);
            }
            case TIME -> {
                param = instant(a, value);
                placeholder = "?::timestamptz";
            }
            default -> throw new IllegalStateException();
        }
        b.sql("COALESCE(" + column + " " + op.sql() + " ").param(placeholder, param).sql(", false)");
    }

    private OffsetDateTime instant(Operand.Attribute a, Literal value) {
        if (value instanceof Literal.Num num) {
            double seconds = num.doubleValue();
            long whole = (long) Math.floor(seconds);
            return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9)).atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Literal.Str s) {
            String text = s.value().trim();
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException ignored) {
                // try the shorter forms below
            }
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // try a date
            }
            try {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // fall through to the error
            }
        }
        throw error(value.column(), a.display() + " is a time: give \"2024-05-01\", \"2024-05-01T12:00:00Z\" or"
                + " epoch seconds; got " + value.display());
    }

    private void hparamComparison(Operand.Hparam h, CompareOp op, Literal value, SqlFragment.Builder b) {
        if (op == CompareOp.EQ || op == CompareOp.NE) {
            if (op == CompareOp.NE) {
                b.sql("((r.hparams -> ").param("?::text", h.name()).sql(") IS NOT NULL AND NOT ");
            }
            // The object is one jsonb parameter, not jsonb_build_object(…) (only stable: a prepared
            // statement's generic plan would build it for every run it rechecks); run_hparams_idx
            // (GIN) serves the containment, and a custom plan still estimates it from the value.
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            switch (value) {
                case Literal.Str s -> object.put(h.name(), s.value());
                case Literal.Num n -> object.put(h.name(), decimal(n));
                case Literal.Bool bool -> object.put(h.name(), bool.value());
                case Literal.Null ignored -> object.putNull(h.name());
            }
            b.sql("(r.hparams @> ").param("?::jsonb", object.toString()).sql(")");
            if (op == CompareOp.NE) {
                b.sql(")");
            }
            return;
        }
        switch (value) {
            case Literal.Num n ->
                    // One strict jsonpath comparison: true only for a JSON number that compares so
                    // (numerically); a string, array, object, boolean, JSON null or no value is false.
                    // It costs about half of testing the type, taking the text and parsing a numeric.
                    b.sql("COALESCE(jsonb_path_match(r.hparams -> ").param("?::text", h.name())
                            .sql(", 'strict $ " + op.sql() + " $v', ")
                            .param("?::jsonb", JsonNodeFactory.instance.objectNode().put("v", decimal(n)).toString())
                            .sql(", true), false)");
            case Literal.Str s -> b.sql("COALESCE(CASE WHEN jsonb_typeof(r.hparams -> ").param("?::text", h.name())
                    .sql(") = 'string' THEN (r.hparams ->> ").param("?::text", h.name())
                    .sql(") END " + op.sql() + " ").param("?", s.value()).sql(", false)");
            default -> throw error(value.column(), op.symbol() + " orders numbers or strings; got " + value.display());
        }
    }

    /** A number literal as a decimal for a jsonb parameter; the lexer's digits-and-dots may not be one. */
    private BigDecimal decimal(Literal.Num n) {
        try {
            return new BigDecimal(n.text());
        } catch (NumberFormatException e) {
            throw error(n.column(), "not a number: " + n.display());
        }
    }

    private void match(Expr.Match m, SqlFragment.Builder b) {
        String op = m.negated() ? "!~" : "~";
        switch (m.operand()) {
            case Operand.Attribute a when a.attribute().kind() == RunAttribute.Kind.LABELS ->
                    b.sql((m.negated() ? "NOT " : "") + "EXISTS (SELECT 1 FROM unnest(r.labels) AS l(label) WHERE l.label ~ ")
                            .param(m.pattern()).sql(")");
            case Operand.Attribute a -> {
                if (a.attribute().kind() != RunAttribute.Kind.TEXT && a.attribute().kind() != RunAttribute.Kind.STATUS) {
                    throw error(m.column(), "regular expressions match text; " + a.display() + " is not text");
                }
                b.sql("COALESCE(" + attributeColumn(a.attribute()) + " " + op + " ").param(m.pattern()).sql(", false)");
            }
            case Operand.Hparam h -> b.sql("COALESCE((r.hparams ->> ").param("?::text", h.name()).sql(") " + op + " ")
                    .param(m.pattern()).sql(", false)");
            case Operand.Metric metric -> throw error(m.column(),
                    "regular expressions match text; " + metric.display() + " is a number");
        }
    }

    private void isNull(Operand operand, boolean negated, SqlFragment.Builder b) {
        switch (operand) {
            case Operand.Attribute a when a.attribute().kind() == RunAttribute.Kind.LABELS ->
                    b.sql("(cardinality(r.labels) " + (negated ? "> 0)" : "= 0)"));
            case Operand.Attribute a -> b.sql(attributeColumn(a.attribute()) + (negated ? " IS NOT NULL" : " IS NULL"));
            case Operand.Hparam h -> b.sql("(COALESCE(jsonb_typeof(r.hparams -> ").param("?::text", h.name())
                    .sql("), 'null') " + (negated ? "<>" : "=") + " 'null')");
            case Operand.Metric m -> b.append(metricValue(m)).sql(negated ? " IS NOT NULL" : " IS NULL");
        }
    }

    private SqlFragment metricValue(Operand.Metric m) {
        SqlFragment.Builder b = SqlFragment.builder();
        SqlFragment series = metricSeries.seriesPredicate(m.tag());
        switch (m.aggregate().kind()) {
            case LAST, MIN, MAX, COUNT -> b.sql("(SELECT " + rollupValue(m.aggregate().kind(), "s") + " FROM series s WHERE ")
                    .append(series).sql(")");
            case STEP -> b.sql("NULLIF((SELECT c.vals[array_position(c.steps, ").param("?::bigint", m.aggregate().step())
                    .sql(")] FROM series s JOIN scalar_chunk c ON c.series_id = s.id WHERE ").append(series)
                    .sql(" AND c.first_step <= ").param("?::bigint", m.aggregate().step())
                    .sql(" AND c.last_step >= ").param("?::bigint", m.aggregate().step())
                    .sql(" LIMIT 1), 'NaN'::float8)");
        }
        return b.build();
    }

    /**
     * A metric aggregate read from the series roll-up row aliased {@code alias} (NaN as NULL), or
     * null for {@code @step} (which opens a chunk); a missing series reads as NULL either way.
     */
    public static String rollupValue(Aggregate.Kind kind, String alias) {
        return switch (kind) {
            case LAST -> "NULLIF(" + alias + ".last_value, 'NaN'::float8)";
            case MIN -> alias + ".min_value";
            case MAX -> alias + ".max_value";
            case COUNT -> alias + ".point_count";
            case STEP -> null;
        };
    }

    /**
     * Fixed column text per attribute; nothing from the input. Labels sort and project as their
     * comma-joined text.
     */
    public static String attributeColumn(RunAttribute attribute) {
        return switch (attribute) {
            case ID -> "r.id";
            case NAME, PATH -> "r.path";
            case EXPERIMENT -> "(SELECT e.name FROM experiment e WHERE e.id = r.experiment_id)";
            case STATUS -> "r.status";
            case GROUP -> "r.session_group";
            case STARTED -> "r.started_at";
            case UPDATED -> "r.last_event_at";
            case ENDED -> "r.ended_at";
            case DISPLAY_NAME -> "r.display_name";
            case NOTE -> "r.note";
            case COLOR -> "r.color";
            case LABEL -> "array_to_string(r.labels, ',')";
            case PINNED -> "r.pinned";
        };
    }

    private QuerySyntaxException error(int column, String message) {
        return new QuerySyntaxException(where, column, message);
    }
}
