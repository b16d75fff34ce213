package dev.athanor.ingest.catalog;

/** The request is valid but the system is not in a state that allows it (gRPC FAILED_PRECONDITION). */
public final class PreconditionException extends RuntimeException {

    public PreconditionException(String message) {
        super(message);
    }
}
