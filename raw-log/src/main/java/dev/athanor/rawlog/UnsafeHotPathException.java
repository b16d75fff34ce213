package dev.athanor.rawlog;

import dev.athanor.archive.store.ObjectKeys;
import java.io.IOException;
import java.nio.file.Path;

/** A raw-log path that could reach outside the hot root (a catalog row or a name was tampered with). */
public class UnsafeHotPathException extends IOException {

    private final String relativePath;

    public UnsafeHotPathException(String relativePath, Path root, String problem) {
        super("raw-log path '" + ObjectKeys.printable(relativePath) + "' leaves the hot root " + root + ": " + problem);
        this.relativePath = relativePath;
    }

    public String relativePath() {
        return relativePath;
    }
}
