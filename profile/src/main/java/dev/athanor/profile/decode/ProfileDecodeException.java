package dev.athanor.profile.decode;

/**
 * A trace that cannot be read: damaged, truncated, too big, or not a trace at all. The message
 * names the file, where in it (byte offset, JSON line/column, plane/line) and what failed.
 */
public final class ProfileDecodeException extends RuntimeException {

    public ProfileDecodeException(String message) {
        super(message);
    }

    public ProfileDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
