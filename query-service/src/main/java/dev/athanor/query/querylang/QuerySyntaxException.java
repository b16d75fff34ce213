package dev.athanor.query.querylang;

import dev.athanor.query.common.error.BadInputException;

/**
 * A filter, sort key or assertion that does not parse, or that parses but does not make sense
 * (a regex on a number, an unknown attribute). Names the 1-based column and what was expected.
 */
public final class QuerySyntaxException extends BadInputException {

    public QuerySyntaxException(String where, int column, String expected, String found) {
        super(where, "%s: at column %d: expected %s but found %s".formatted(where, column, expected, found),
                column, expected);
    }

    public QuerySyntaxException(String where, int column, String message) {
        super(where, "%s: at column %d: %s".formatted(where, column, message), column, null);
    }
}
