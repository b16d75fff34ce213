package dev.athanor.ingest.index;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which runs the indexer keeps failing on, and since when: a run enters at its first failed
 * transaction that will be retried (PostgreSQL down, an entry that cannot even be passed over) and
 * leaves at its next successful one. Readiness reads it ({@code IndexProgressCheck}): a run failing
 * for longer than the allowed time means the index has stalled. Runs waiting at a handover for the
 * replica that owned them before are not failing, and do not enter.
 */
@ApplicationScoped
public class IndexProgress {

    private record Failing(long sinceNanos, int attempts, String lastFailure) {
    }

    private final Map<Long, Failing> failing = new ConcurrentHashMap<>();

    /** A transaction of the run failed and will be retried. */
    public void failed(long runId, String failure, long nowNanos) {
        failing.merge(runId, new Failing(nowNanos, 1, failure),
                (before, now) -> new Failing(before.sinceNanos(), before.attempts() + 1, failure));
    }

    /** A transaction of the run committed (or found nothing to do). */
    public void succeeded(long runId) {
        failing.remove(runId);
    }

    /** The run is gone (purged): nothing more will be indexed for it. */
    public void forget(long runId) {
        failing.remove(runId);
    }

    /**
     * Why the index counts as stalled at {@code nowNanos}: the run failing the longest, when that is
     * longer than {@code stallAfter}, with its last failure (SQLState and server message, never
     * data); empty otherwise.
     */
    public Optional<String> stall(long nowNanos, Duration stallAfter) {
        Map.Entry<Long, Failing> oldest = null;
        for (Map.Entry<Long, Failing> e : failing.entrySet()) {
            if (oldest == null || e.getValue().sinceNanos() < oldest.getValue().sinceNanos()) {
                oldest = e;
            }
        }
        if (oldest == null || nowNanos - oldest.getValue().sinceNanos() <= stallAfter.toNanos()) {
            return Optional.empty();
        }
        Failing f = oldest.getValue();
        long others = failing.size() - 1;
        return Optional.of("the indexer has failed on run %d for %d s (%d attempts%s), longer than %d s (athanor.ingest.health.index-stall-after); last failure: %s"
                .formatted(oldest.getKey(), Duration.ofNanos(nowNanos - f.sinceNanos()).toSeconds(), f.attempts(),
                        others > 0 ? "; " + others + " more runs failing" : "", stallAfter.toSeconds(), f.lastFailure()));
    }
}
