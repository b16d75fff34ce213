package dev.athanor.archive.store;

import java.io.IOException;

/** A failed object-store operation, with a reason callers can act on and a message naming where. */
public class StoreException extends IOException {

    public enum Reason {
        /** The object does not exist. */
        NOT_FOUND(false),
        /** The bucket (or filesystem root) does not exist. */
        BUCKET_NOT_FOUND(false),
        /** Credentials are wrong or lack permission. */
        ACCESS_DENIED(false),
        /** Bytes did not match the expected size or CRC32C. */
        CHECKSUM_MISMATCH(true),
        /** The key is not a safe relative '/'-separated path. */
        INVALID_KEY(false),
        /** A byte range outside the object. */
        INVALID_RANGE(false),
        /** The object's storage class must be restored before it can be read. */
        NEEDS_RESTORE(false),
        /** The backend cannot do this. */
        UNSUPPORTED(false),
        /** Network, server or disk trouble that a later attempt may not meet. */
        UNAVAILABLE(true);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public boolean retryable() {
        return reason.retryable();
    }
}
