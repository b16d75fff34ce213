package dev.athanor.uploader.discovery;

import java.io.IOException;

/**
 * Finds the runs of a logdir and their event files. Called again and again while uploading, so
 * runs and files that appear later are found; the uploader compares successive scans.
 */
public interface RunDiscovery {

    /**
     * Lists every event file below the logdir now, with its size as last looked at: an
     * implementation may look again only at what may have changed (see {@link LogdirRunDiscovery}).
     *
     * @throws LogdirMissingException when the logdir itself does not exist (any more)
     * @throws IOException            when the logdir cannot be listed at all
     */
    LogdirScan scan() throws IOException;

    /**
     * Like {@link #scan()}, but every directory is listed and every file's size read now: the
     * scan that confirms nothing is left before an upload ends.
     */
    default LogdirScan scanEverything() throws IOException {
        return scan();
    }
}
