package dev.athanor.archive.tiering;

import java.time.Duration;
import java.time.Instant;

/** What one tiering pass did. */
public record PassSummary(Status status, Instant startedAt, Duration took, int archived, long archivedBytes,
                          int failed, int refused, int notOnThisNode, int hotDeleted, long hotDeletedBytes,
                          int cooled, int deletedRuns, String error) {

    public enum Status {
        /** The pass ran (individual segments may still have failed: see the counts). */
        RAN,
        /** Another replica holds the worker lock. */
        STANDBY,
        /** An earlier pass failed as a whole; this tick waited. */
        BACKING_OFF,
        /** The store refused the access check (missing bucket, wrong credentials, unreachable). */
        STORE_UNAVAILABLE,
        /** The catalog could not be read or written. */
        DATABASE_ERROR
    }

    static PassSummary of(Status status, Instant startedAt, Duration took, String error) {
        return new PassSummary(status, startedAt, took, 0, 0, 0, 0, 0, 0, 0, 0, 0, error);
    }
}
