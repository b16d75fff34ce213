package dev.athanor.tfevents.decode;

import java.math.BigDecimal;

/**
 * How values are written in Athanor's JSON Lines (the export's and {@code athanor inspect}'s, so
 * the two compare line by line): the shortest decimal that reads back to the same double, without
 * an exponent (a wall time reads 1795729073.136863, not 1.795729073136863E9), and the non-finite
 * values as the strings "NaN", "Infinity" and "-Infinity", JSON having no literal for them.
 */
public final class JsonlNumbers {

    private JsonlNumbers() {
    }

    /** The value's text: a JSON number when {@link Double#isFinite finite}, else the string to quote. */
    public static String text(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return new BigDecimal(Double.toString(value)).toPlainString();
    }

    /** The value as a JSON token: the number, or its text in quotes when not finite. */
    public static String token(double value) {
        String text = text(value);
        return Double.isFinite(value) ? text : '"' + text + '"';
    }
}
