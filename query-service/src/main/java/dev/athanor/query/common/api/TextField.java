package dev.athanor.query.common.api;

import dev.athanor.query.common.error.BadInputException;

/** Text fields of JSON bodies (PATCH): length and control characters checked, a 400 naming the field. */
public final class TextField {

    private TextField() {
    }

    /** A text field: null or "" clears it; longer than {@code max} or holding control characters is a 400. */
    public static String check(String where, Object value, int max, boolean multiline) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new BadInputException(where, field(where) + " must be a string or null; got " + describe(value));
        }
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > max) {
            throw new BadInputException(where, field(where) + " is " + s.length() + " characters long; at most "
                    + max);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean allowed = c >= ' ' && c != 0x7f || multiline && (c == '\n' || c == '\r' || c == '\t');
            if (!allowed) {
                throw new BadInputException(where, field(where) + " holds a control character (U+"
                        + String.format("%04X", (int) c) + ") at index " + i);
            }
        }
        return s;
    }

    /** A JSON value in an error message: strings quoted (first 80 characters), arrays and objects by kind. */
    public static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "'" + (s.length() <= 80 ? s : s.substring(0, 80) + "…") + "'";
            case java.util.List<?> l -> "an array";
            case java.util.Map<?, ?> m -> "an object";
            default -> value.toString();
        };
    }

    /** "body.note" → "note". */
    private static String field(String where) {
        return where.startsWith("body.") ? where.substring(5) : where;
    }
}
