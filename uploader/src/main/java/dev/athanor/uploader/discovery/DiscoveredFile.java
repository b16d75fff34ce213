package dev.athanor.uploader.discovery;

import java.nio.file.Path;

/**
 * An event file as seen by one scan.
 *
 * @param runPath  directory of the file relative to the logdir, '/'-separated; "." for the logdir itself
 * @param fileName base name of the file
 * @param path     the file's full path
 * @param size     its size in bytes when last looked at (see {@link LogdirRunDiscovery}; 0 when it cannot be determined)
 */
public record DiscoveredFile(String runPath, String fileName, Path path, long size) {

    /** The file relative to the logdir, for messages. */
    public String displayName() {
        return ".".equals(runPath) ? fileName : runPath + "/" + fileName;
    }
}
