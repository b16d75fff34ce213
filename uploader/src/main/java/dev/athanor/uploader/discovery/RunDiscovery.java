package dev.athanor.uploader.discovery;

import java.io.IOException;

/**
 * Finds the runs of a logdir and their event files. Called again and again while uploading, so
 * runs and files that appear later are found; the uploader compares successive scans.
 */
public interface RunDiscovery {

    /**
     * Lists every event file below the logdir now.
     *
     * @throws LogdirMissingException when the logdir itself does not exist (any more)
     * @throws IOException            when the logdir cannot be listed at all
     */
    LogdirScan scan() throws IOException;
}
