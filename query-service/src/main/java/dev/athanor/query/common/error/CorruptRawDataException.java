package dev.athanor.query.common.error;

/**
 * The raw log does not hold what the index points at (a CRC mismatch, a short read, a record
 * that is not the expected event). A server-side data problem, reported with the segment and
 * offset so an operator can find it; never the client's fault.
 */
public final class CorruptRawDataException extends RuntimeException {

    public CorruptRawDataException(String message) {
        super(message);
    }

    public CorruptRawDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
