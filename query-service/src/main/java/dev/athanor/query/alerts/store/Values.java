package dev.athanor.query.alerts.store;

/** A firing value for JSON: a number when finite, else "NaN", "Infinity" or "-Infinity" (JSON has no such numbers). */
public final class Values {

    private Values() {
    }

    public static Object json(Double value) {
        if (value == null) {
            return null;
        }
        return Double.isFinite(value) ? (Object) value : value.toString();
    }
}
