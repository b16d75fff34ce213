package dev.athanor.query.common.error;

/**
 * The request is malformed: a parameter or field is missing, out of range or of the wrong kind.
 * {@code where} names the parameter or field; {@code column} locates the problem inside an
 * expression (1-based) when there is one.
 */
public class BadInputException extends RuntimeException {

    private final String where;
    private final Integer column;
    private final String expected;

    public BadInputException(String where, String message) {
        this(where, message, null, null);
    }

    public BadInputException(String where, String message, Integer column, String expected) {
        super(message);
        this.where = where;
        this.column = column;
        this.expected = expected;
    }

    public String where() {
        return where;
    }

    public Integer column() {
        return column;
    }

    public String expected() {
        return expected;
    }
}
