package dev.athanor.query.querylang.ast;

/**
 * Which number of a scalar series a metric reference means. {@code LAST}, {@code MIN},
 * {@code MAX} and {@code COUNT} come from the series roll-up; {@code STEP} reads the value at one
 * step from the chunk that holds it.
 */
public record Aggregate(Kind kind, long step) {

    public enum Kind {
        LAST, MIN, MAX, COUNT, STEP
    }

    public static final Aggregate LAST = new Aggregate(Kind.LAST, 0);

    public static Aggregate of(Kind kind) {
        return new Aggregate(kind, 0);
    }

    public static Aggregate atStep(long step) {
        return new Aggregate(Kind.STEP, step);
    }

    public String display() {
        return kind == Kind.STEP ? "step=" + step : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
