package dev.athanor.archive.layout;

import dev.athanor.archive.store.ObjectKeys;

/** A segment path that must not become an object key (it could leave the prefix, or is no event file). */
public class UnsafePathException extends Exception {

    private final String path;

    public UnsafePathException(String path, String problem) {
        super("refusing to archive '" + ObjectKeys.printable(path) + "': " + problem);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
