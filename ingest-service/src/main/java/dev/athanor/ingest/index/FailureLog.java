package dev.athanor.ingest.index;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the indexer's failure logging: per run, a failure is logged when its description changes
 * or once a minute, with the number of repeats in between, so a run that keeps failing costs a
 * line a minute rather than a line per retry.
 */
final class FailureLog {

    private static final long REPEAT_NANOS = 60_000_000_000L;

    private record Last(String description, long loggedAt, int repeats) {
    }

    private final Map<Long, Last> last = new ConcurrentHashMap<>();

    /** The line to log for this failure of the run, or null when it repeats one logged recently. */
    String line(long runId, String description, long now) {
        Last prev = last.get(runId);
        if (prev != null && prev.description.equals(description) && now - prev.loggedAt < REPEAT_NANOS) {
            last.put(runId, new Last(description, prev.loggedAt, prev.repeats + 1));
            return null;
        }
        last.put(runId, new Last(description, now, 0));
        int repeats = prev != null && prev.description.equals(description) ? prev.repeats : 0;
        return repeats == 0 ? description : description + " (repeated " + repeats + " times since the last report)";
    }

    void succeeded(long runId) {
        last.remove(runId);
    }
}
