package dev.athanor.uploader.discovery;

import java.io.IOException;
import java.nio.file.Path;

/** The logdir does not exist or is not a directory (it may have been removed while uploading). */
public final class LogdirMissingException extends IOException {

    private final Path logdir;

    public LogdirMissingException(Path logdir, String message) {
        super(message);
        this.logdir = logdir;
    }

    public Path logdir() {
        return logdir;
    }
}
