package dev.athanor.ingest.flow;

import dev.athanor.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
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
    private final List<Runnable> parked = new ArrayList<>();

    public IndexLagGate(IngestConfig config) {
        this.maxLagBytes = config.index().maxLagBytes();
    }

    /** Durable-but-unindexed bytes changed by {@code delta} (positive: appended; negative: indexed). */
    public void adjust(long delta) {
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
