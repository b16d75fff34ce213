package dev.athanor.query.scalars.store;

/** What buckets are laid out over. */
public enum XAxis {
    STEP("step"),
    WALL_TIME("wall_time");

    private final String label;

    XAxis(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
