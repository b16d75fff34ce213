package dev.athanor.query.scalars.store;

/**
 * What buckets are laid out over: the step, the wall time, or the wall time relative to each
 * series' first point in range (seconds since it started), which lines up runs that started at
 * different times and ran at different speeds.
 */
public enum XAxis {
    STEP("step"),
    WALL_TIME("wall_time"),
    RELATIVE("relative");

    private final String label;

    XAxis(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
