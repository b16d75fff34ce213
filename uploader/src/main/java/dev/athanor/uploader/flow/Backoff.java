package dev.athanor.uploader.flow;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a random time between half
 * and all of {@code min(max, initial * 2^n)}, so that many uploaders cut off by one ingest restart
 * do not come back in lockstep.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = Math.max(initialNanos, max.toNanos());
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration nextDelay() {
        long ceiling = initialNanos;
        for (int i = 0; i < failures && ceiling < maxNanos; i++) {
            ceiling = Math.min(maxNanos, ceiling * 2);
        }
        failures++;
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (ceiling - half)));
    }

    /** After a success: the next failure starts from the initial delay again. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
