package dev.athanor.archive.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether an object can be read now. Archive classes (S3 GLACIER / DEEP_ARCHIVE, the filesystem
 * store's simulated cold tier) need a restore first: a slow, asynchronous job after which a
 * temporary readable copy exists until {@code readableUntil}.
 */
public record Readability(State state, Optional<Instant> readableUntil) {

    public enum State {
        /** GET works now. */
        READABLE,
        /** In an archive class and no restore is running: one must be requested. */
        NEEDS_RESTORE,
        /** A restore was requested and has not finished. */
        RESTORING
    }

    public static final Readability READABLE = new Readability(State.READABLE, Optional.empty());
    public static final Readability NEEDS_RESTORE = new Readability(State.NEEDS_RESTORE, Optional.empty());
    public static final Readability RESTORING = new Readability(State.RESTORING, Optional.empty());

    public static Readability restoredUntil(Instant until) {
        return new Readability(State.READABLE, Optional.of(until));
    }

    public boolean readable() {
        return state == State.READABLE;
    }
}
