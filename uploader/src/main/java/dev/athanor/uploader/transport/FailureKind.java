package dev.athanor.uploader.transport;

import io.grpc.Status;

/** What a failed call means for the uploader. */
public enum FailureKind {
    /** Worth retrying after a backoff: the server or the network may recover. */
    TRANSIENT,
    /** The credentials were refused: retrying with the same token cannot help. */
    AUTH,
    /** The server refuses the request itself: retrying cannot help. */
    PERMANENT;

    public static FailureKind of(Status status) {
        return switch (status.getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> AUTH;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS, UNIMPLEMENTED -> PERMANENT;
            default -> TRANSIENT;
        };
    }
}
