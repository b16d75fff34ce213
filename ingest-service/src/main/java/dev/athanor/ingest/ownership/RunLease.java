package dev.athanor.ingest.ownership;

import java.time.Duration;

/**
 * This replica's hold on one run, under one fencing epoch. It is valid, locally, until the lease
 * could have expired in PostgreSQL: each renewal extends it from the moment the renewal was
 * <em>sent</em> (the database's expiry is later than that), less a margin for clock-rate drift.
 * Once lost it stays lost: a new hold is a new acquisition with a higher epoch.
 */
public final class RunLease {

    private final long runId;
    private final String owner;
    private final long epoch;
    private volatile long validUntilNanos;
    private volatile boolean lost;

    RunLease(long runId, String owner, long epoch, long sentAtNanos, Duration ttl) {
        this.runId = runId;
        this.owner = owner;
        this.epoch = epoch;
        this.validUntilNanos = sentAtNanos + localValidity(ttl);
    }

    /** The part of the TTL this replica relies on: 90 %, so a clock running 10 % fast stays safe. */
    static long localValidity(Duration ttl) {
        return ttl.toNanos() - ttl.toNanos() / 10;
    }

    public long runId() {
        return runId;
    }

    public String owner() {
        return owner;
    }

    public long epoch() {
        return epoch;
    }

    /** True while this replica may append to the run under {@link #epoch()}. */
    public boolean isValid() {
        return isValid(System.nanoTime());
    }

    boolean isValid(long nowNanos) {
        return !lost && nowNanos - validUntilNanos < 0;
    }

    boolean isLost() {
        return lost;
    }

    /** A renewal sent at {@code sentAtNanos} succeeded. */
    void extend(long sentAtNanos, Duration ttl) {
        if (!lost) {
            validUntilNanos = Math.max(validUntilNanos, sentAtNanos + localValidity(ttl));
        }
    }

    /** The database says another holder (or a later epoch) has the run: never valid again. */
    void markLost() {
        lost = true;
    }

    @Override
    public String toString() {
        return "run " + runId + " lease of " + owner + " at epoch " + epoch + (lost ? " (lost)" : "");
    }
}
