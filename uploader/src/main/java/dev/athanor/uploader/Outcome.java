package dev.athanor.uploader;

/** How an upload ended, with the process exit code the CLI uses for it. */
public enum Outcome {
    /** Everything found was uploaded and acknowledged. */
    SUCCESS(0),
    /** The work could not be done: endpoint unreachable past the retry budget, logdir gone, server refused. */
    FAILED(1),
    /** The options were unusable (no logdir, bad endpoint, unreadable token file). */
    INVALID_OPTIONS(2),
    /** Everything readable was uploaded, but some data was skipped (corrupt records, unreadable files). */
    PARTIAL(3),
    /** The server rejected the credentials (UNAUTHENTICATED or PERMISSION_DENIED); not retried. */
    AUTH_REJECTED(4),
    /** A stop was requested and the grace period ended before everything was acknowledged. */
    DRAIN_TIMEOUT(5),
    /**
     * Stopped before the work was done: {@link Uploader#abort()} (at once), or a stop request in
     * once mode (after the batches in flight were acknowledged). A later upload resumes.
     */
    ABORTED(6);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
