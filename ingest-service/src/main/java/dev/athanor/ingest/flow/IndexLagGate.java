package dev.athanor.ingest.flow;

import dev.athanor.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backpressure between the raw log and the index: counts bytes that are durable but not yet
 * indexed. While that lag exceeds the bound, upload streams are not asked for more messages
 * (gRPC flow control), so a slow or unavailable PostgreSQL slows acknowledgements instead of
 * letting the raw log run arbitrarily far ahead.
 */
@ApplicationScoped
public class IndexLagGate {

    private final long maxLagBytes;
    private final AtomicLong lag = new AtomicLong();
    /** Per run: {durable bytes, indexed bytes} as last reported. */
    private final Map<Long, long[]> runs = new ConcurrentHashMap<>();
    private final List<Runnable> parked = new ArrayList<>();

    public IndexLagGate(IngestConfig config) {
        this.maxLagBytes = config.index().maxLagBytes();
    }

    /** The run's raw log now holds {@code totalBytes} durable segment bytes. */
    public void durable(long runId, long totalBytes) {
        long delta;
        long[] r = runs.computeIfAbsent(runId, id -> new long[2]);
        synchronized (r) {
            delta = Math.max(0, totalBytes - r[0]);
            r[0] = Math.max(r[0], totalBytes);
        }
        adjust(delta);
    }

    /** The index now covers {@code totalBytes} of the run's segment bytes (may go down after a reload). */
    public void indexed(long runId, long totalBytes) {
        long delta;
        long[] r = runs.computeIfAbsent(runId, id -> new long[2]);
        synchronized (r) {
            delta = r[1] - totalBytes;
            r[1] = totalBytes;
        }
        adjust(delta);
    }

    /** Durable-but-unindexed bytes changed by {@code delta} (positive: appended; negative: indexed). */
    private void adjust(long delta) {
        long now = lag.addAndGet(delta);
        if (delta < 0 && now <= maxLagBytes) {
            release();
        }
    }

    public long lagBytes() {
        return lag.get();
    }

    public long maxLagBytes() {
        return maxLagBytes;
    }

    public boolean isOpen() {
        return lag.get() <= maxLagBytes;
    }

    /** Runs {@code action} now if the lag is within bounds, otherwise once it is. */
    public void whenOpen(Runnable action) {
        synchronized (parked) {
            if (!isOpen()) {
                parked.add(action);
                return;
            }
        }
        action.run();
    }

    private void release() {
        List<Runnable> ready;
        synchronized (parked) {
            if (parked.isEmpty() || !isOpen()) {
                return;
            }
            ready = new ArrayList<>(parked);
            parked.clear();
        }
        ready.forEach(Runnable::run);
    }

    /** Streams currently waiting for the index to catch up. */
    public int parkedStreams() {
        synchronized (parked) {
            return parked.size();
        }
    }
}
