package dev.athanor.uploader.flow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batches sent and not yet acknowledged, bounded by the server's max_inflight_batches. Also
 * watches for a stream that stopped answering: no acknowledgement for {@code ackTimeout} while
 * batches are outstanding.
 */
public final class InflightWindow {

    private final Map<Long, SentBatch> inflight = new LinkedHashMap<>();
    private int capacity;
    /** When the oldest outstanding wait began: the last ack, or the send into an empty window. */
    private long waitingSinceNanos;

    public InflightWindow(int capacity) {
        setCapacity(capacity);
    }

    public void setCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public boolean hasRoom() {
        return inflight.size() < capacity;
    }

    public boolean isEmpty() {
        return inflight.isEmpty();
    }

    public int size() {
        return inflight.size();
    }

    public void sent(SentBatch batch, long nowNanos) {
        if (inflight.isEmpty()) {
            waitingSinceNanos = nowNanos;
        }
        inflight.put(batch.batchId(), batch);
    }

    /** The batch this ack answers, or null for an unknown id (an ack from an abandoned stream). */
    public SentBatch acked(long batchId, long nowNanos) {
        SentBatch batch = inflight.remove(batchId);
        if (batch != null) {
            waitingSinceNanos = nowNanos;
        }
        return batch;
    }

    /** True when batches are outstanding and none was acknowledged for {@code timeoutNanos}. */
    public boolean stalled(long nowNanos, long timeoutNanos) {
        return !inflight.isEmpty() && nowNanos - waitingSinceNanos > timeoutNanos;
    }

    /** Forgets every outstanding batch (the stream broke; they are re-read from committed offsets). */
    public void clear() {
        inflight.clear();
    }
}
