package dev.athanor.ingest.catalog;

/** A referenced experiment, run or project does not exist. */
public final class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
