package dev.athanor.archive.tiering;

import java.time.Duration;

/** Exponential backoff between attempts: base, 2×base, 4×base… capped at max. */
public record Backoff(Duration base, Duration max) {

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max, got base " + base + ", max " + max);
        }
    }

    /** The wait after the {@code attempts}-th failed attempt (1 = the first failure). */
    public Duration after(int attempts) {
        if (attempts <= 0 || base.isZero()) {
            return base;
        }
        int doublings = Math.min(attempts - 1, 40);
        Duration d = base.multipliedBy(1L << Math.min(doublings, 30));
        return d.compareTo(max) > 0 || d.isNegative() ? max : d;
    }
}
