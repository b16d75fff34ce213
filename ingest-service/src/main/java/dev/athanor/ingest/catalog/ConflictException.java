package dev.athanor.ingest.catalog;

/** The request contradicts what is stored and can never succeed as sent (ALREADY_EXISTS). */
public final class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
