package dev.athanor.ingest.index;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wait before a run's next index attempt after a failed one: each run has its own, starting at
 * the first delay and doubling on every failure up to the bound, and a success resets it. One run
 * failing for ever thus backs off on its own, without slowing the retries (or the indexing) of
 * any other run; when every run fails (PostgreSQL down), every run backs off.
 */
final class RetryBackoff {

    private final long firstMillis;
    private final long maxMillis;
    /** The delay each failing run waits after its next failure; absent = the first delay. */
    private final Map<Long, Long> nextMillis = new ConcurrentHashMap<>();

    RetryBackoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("athanor.ingest.index.retry-delay (" + first + ") must be positive"
                    + " and at most athanor.ingest.index.max-retry-delay (" + max + ")");
        }
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The run's index transaction failed: how long it waits before the next attempt (milliseconds). */
    long failed(long runId) {
        long delay = nextMillis.getOrDefault(runId, firstMillis);
        nextMillis.put(runId, Math.min(delay * 2, maxMillis));
        return delay;
    }

    /** The run's index transaction succeeded (or the run is gone): its next failure waits the first delay again. */
    void reset(long runId) {
        nextMillis.remove(runId);
    }
}
