package dev.athanor.query.querylang.ast;

import java.util.ArrayList;
import java.util.List;

/** The operands an expression reads, in the order they are written. */
public final class Operands {

    private Operands() {
    }

    public static List<Operand> of(Expr expr) {
        List<Operand> out = new ArrayList<>();
        collect(expr, out);
        return out;
    }

    private static void collect(Expr expr, List<Operand> out) {
        switch (expr) {
            case Expr.And and -> and.terms().forEach(t -> collect(t, out));
            case Expr.Or or -> or.terms().forEach(t -> collect(t, out));
            case Expr.Not not -> collect(not.term(), out);
            case Expr.Comparison c -> out.add(c.operand());
            case Expr.InList in -> out.add(in.operand());
            case Expr.Match m -> out.add(m.operand());
            case Expr.IsNull n -> out.add(n.operand());
            case Expr.NoNonFinite n -> out.add(n.metric());
        }
    }
}
