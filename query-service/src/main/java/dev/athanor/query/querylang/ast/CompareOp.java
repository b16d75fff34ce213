package dev.athanor.query.querylang.ast;

/** Comparison operators with their SQL spelling. */
public enum CompareOp {
    EQ("=", "="),
    NE("!=", "<>"),
    LT("<", "<"),
    LE("<=", "<="),
    GT(">", ">"),
    GE(">=", ">=");

    private final String symbol;
    private final String sql;

    CompareOp(String symbol, String sql) {
        this.symbol = symbol;
        this.sql = sql;
    }

    public String symbol() {
        return symbol;
    }

    /** The SQL operator: fixed text chosen here, never taken from the input. */
    public String sql() {
        return sql;
    }

    /** Evaluates the comparison in Java (used by metric checks to explain results). */
    public boolean test(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
        };
    }
}
