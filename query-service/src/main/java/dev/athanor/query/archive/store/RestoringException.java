package dev.athanor.query.archive.store;

/** The data asked for is in an archive class; a restore runs (or was just started). Try again later. */
public final class RestoringException extends RuntimeException {

    private final RestoreStatus status;

    public RestoringException(RestoreStatus status) {
        super("raw segment " + status.segmentId() + " is archived in a storage class that must be restored before it"
                + " can be read; restore " + status.state() + " (ask " + status.statusUrl() + ")");
        this.status = status;
    }

    public RestoreStatus status() {
        return status;
    }
}
