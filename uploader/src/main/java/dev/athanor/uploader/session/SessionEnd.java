package dev.athanor.uploader.session;

import io.grpc.Status;

/** Why one connection's upload loop returned. */
public sealed interface SessionEnd {

    /** Once mode: everything found is acknowledged. */
    record Completed() implements SessionEnd {
    }

    /** A stop was requested (marker or signal) and everything is acknowledged. */
    record Drained() implements SessionEnd {
    }

    /** Once mode: a stop was requested; what was in flight is acknowledged, the rest was not sent. */
    record Interrupted(long unackedBytes) implements SessionEnd {
    }

    /** A stop was requested and the grace period ran out first. */
    record GraceExpired(long unackedBytes) implements SessionEnd {
    }

    /** A call or the stream failed; {@code madeProgress} says whether this connection achieved anything. */
    record Failed(Status status, boolean madeProgress) implements SessionEnd {
    }

    /** Cannot go on, and retrying will not help (the logdir is gone). */
    record Fatal(String message) implements SessionEnd {
    }

    record Aborted() implements SessionEnd {
    }
}
