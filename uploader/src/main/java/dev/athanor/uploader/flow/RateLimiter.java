package dev.athanor.uploader.flow;

import java.util.function.LongSupplier;

/**
 * A token bucket over bytes. A send may overdraw it (a batch larger than one second's worth is
 * still sent whole); the next send then waits until the debt is repaid. Burst: one second.
 * Thread-safe: event batches and asset chunks draw from one bucket.
 */
public final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastRefill;

    /** {@code bytesPerSecond} 0 means unlimited. */
    public RateLimiter(long bytesPerSecond, LongSupplier nanoTime) {
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.lastRefill = nanoTime.getAsLong();
        this.tokens = bytesPerSecond;
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(0, System::nanoTime);
    }

    /** Nanoseconds to wait before the next send is allowed; 0 when it may go now. */
    public synchronized long waitNanos() {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        refill();
        if (tokens >= 0) {
            return 0;
        }
        return (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
    }

    /** Records that {@code bytes} were sent. */
    public synchronized void consume(long bytes) {
        if (bytesPerSecond <= 0) {
            return;
        }
        refill();
        tokens -= bytes;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(bytesPerSecond, tokens + (double) elapsed * bytesPerSecond / NANOS_PER_SECOND);
            lastRefill = now;
        }
    }
}
