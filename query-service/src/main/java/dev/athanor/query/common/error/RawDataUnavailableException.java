package dev.athanor.query.common.error;

/** The raw segment an index row points at is not in hot storage (archived, or the volume is missing). */
public final class RawDataUnavailableException extends RuntimeException {

    public RawDataUnavailableException(String message) {
        super(message);
    }
}
