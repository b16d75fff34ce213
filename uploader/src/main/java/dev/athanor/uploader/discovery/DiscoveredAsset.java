package dev.athanor.uploader.discovery;

import java.nio.file.Path;

/**
 * A plugin asset file of a run as seen by one scan (the profiler's
 * {@code plugins/profile/<session>/*.xplane.pb}, {@code *.trace.json.gz}, …).
 *
 * @param runPath        the run directory relative to the logdir ("." for the logdir itself)
 * @param path           the file relative to the run directory, '/'-separated, starting with {@code plugins/}
 * @param file           the file's full path
 * @param size           its size at scan time
 * @param modifiedMillis its last-modified time at scan time
 */
public record DiscoveredAsset(String runPath, String path, Path file, long size, long modifiedMillis) {

    /** The file relative to the logdir, for messages. */
    public String displayName() {
        return ".".equals(runPath) ? path : runPath + "/" + path;
    }
}
