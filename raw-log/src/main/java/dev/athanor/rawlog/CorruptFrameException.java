package dev.athanor.rawlog;

import java.io.IOException;

/** The bytes at a segment offset are not the verified frame the caller expects. */
public class CorruptFrameException extends IOException {

    public CorruptFrameException(String message) {
        super(message);
    }
}
