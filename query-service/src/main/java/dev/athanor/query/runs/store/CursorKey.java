package dev.athanor.query.runs.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The SQL type of one sort key, and how its value travels in a {@link RunCursor}: as PostgreSQL's
 * text of the value (a time as epoch microseconds), checked here before it is bound, so a tampered
 * cursor is refused as bad input rather than failing a cast in PostgreSQL.
 */
enum CursorKey {
    FLOAT8, BIGINT, BOOLEAN, TEXT, JSONB, TIMESTAMPTZ;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** PostgreSQL's float8 output (shortest exact digits), and the specials. */
    private static final Pattern FLOAT = Pattern.compile("-?(\\d+(\\.\\d+)?|\\.\\d+)([eE][-+]?\\d{1,3})?|-?Infinity|NaN");
    /** Epoch microseconds of a time within ±3,000 years of 1970, well inside PostgreSQL's range. */
    private static final long MAX_MICROS = 100_000_000_000_000_000L;

    /** SQL that turns the key's value (an expression) into the text a cursor carries. */
    String text(String value) {
        return this == TIMESTAMPTZ ? "(extract(epoch FROM " + value + ") * 1000000)::bigint::text" : value + "::text";
    }

    /** The placeholder that binds a cursor's text back to the key's type. */
    String placeholder() {
        return switch (this) {
            case FLOAT8 -> "?::float8";
            case BIGINT -> "?::bigint";
            case BOOLEAN -> "?::boolean";
            case TEXT -> "?::text";
            case JSONB -> "?::jsonb";
            case TIMESTAMPTZ -> "(timestamptz 'epoch' + ?::bigint * interval '1 microsecond')";
        };
    }

    /** Whether the text is a value of this type that PostgreSQL accepts (null is always valid: the key is missing). */
    boolean accepts(String text) {
        if (text == null) {
            return true;
        }
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        return switch (this) {
            case FLOAT8 -> isFloat8(text);
            case BIGINT -> isLong(text);
            case BOOLEAN -> text.equals("true") || text.equals("false");
            case TEXT -> true;
            case JSONB -> isJson(text);
            case TIMESTAMPTZ -> isLong(text) && Math.abs(Long.parseLong(text)) <= MAX_MICROS;
        };
    }

    /** PostgreSQL's float8 refuses what overflows to infinity or underflows to zero. */
    private static boolean isFloat8(String text) {
        if (!FLOAT.matcher(text).matches()) {
            return false;
        }
        if (text.endsWith("Infinity") || text.equals("NaN")) {
            return true;
        }
        double value = Double.parseDouble(text);
        String mantissa = text.split("[eE]")[0];
        return !Double.isInfinite(value) && (value != 0 || !mantissa.matches(".*[1-9].*"));
    }

    private static boolean isLong(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isJson(String text) {
        if (text.contains("\\u0000")) {
            return false;
        }
        try (var parser = JSON.createParser(text)) {
            return JSON.readTree(parser) != null && parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
