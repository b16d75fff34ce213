package dev.athanor.query.querylang;

/** Kinds of tokens in a run filter. Keywords are identifiers matched case-insensitively by the parser. */
public enum TokenType {
    IDENT("a name"),
    STRING("a quoted string"),
    NUMBER("a number"),
    /** A whole number with a unit: 30s, 15m, 2h, 1d. */
    DURATION("a duration"),
    EQ("'='"),
    NE("'!='"),
    LT("'<'"),
    LE("'<='"),
    GT("'>'"),
    GE("'>='"),
    MATCH("'~'"),
    NOT_MATCH("'!~'"),
    LPAREN("'('"),
    RPAREN("')'"),
    COMMA("','"),
    DOT("'.'"),
    AT("'@'"),
    MINUS("'-'"),
    EOF("the end of the expression");

    private final String description;

    TokenType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
