package dev.athanor.query.scalars.store;

/** An inclusive step range; null bounds are open. */
public record StepRange(Long min, Long max) {

    public static final StepRange ALL = new StepRange(null, null);

    public long lo() {
        return min == null ? Long.MIN_VALUE : min;
    }

    public long hi() {
        return max == null ? Long.MAX_VALUE : max;
    }

    public boolean contains(long step) {
        return step >= lo() && step <= hi();
    }

    public boolean containsAll(long first, long last) {
        return first >= lo() && last <= hi();
    }
}
