package dev.athanor.query.querylang.ast;

import java.util.List;

/** A boolean filter expression over one run. Every node keeps the column it starts at for error messages. */
public sealed interface Expr {

    int column();

    record And(List<Expr> terms, int column) implements Expr {
        public And {
            terms = List.copyOf(terms);
        }
    }

    record Or(List<Expr> terms, int column) implements Expr {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    record Not(Expr term, int column) implements Expr {
    }

    /** {@code operand op value}. */
    record Comparison(Operand operand, CompareOp op, Literal value, int column) implements Expr {
    }

    /** {@code operand [not] in (v1, v2, ...)}. */
    record InList(Operand operand, List<Literal> values, boolean negated, int column) implements Expr {
        public InList {
            values = List.copyOf(values);
        }
    }

    /** {@code operand ~ "regex"} or {@code operand !~ "regex"} (POSIX regular expressions, unanchored). */
    record Match(Operand operand, String pattern, boolean negated, int column) implements Expr {
    }

    /** {@code operand is [not] null}: an absent hparam, a missing series, a run that never started. */
    record IsNull(Operand operand, boolean negated, int column) implements Expr {
    }

    /** {@code no nan in metrics.loss} (or {@code inf}, {@code nonfinite}): the series exists and holds no such value. */
    record NoNonFinite(Operand.Metric metric, NonFinite kind, int column) implements Expr {
    }

    enum NonFinite {
        NAN, INF, NONFINITE
    }
}
