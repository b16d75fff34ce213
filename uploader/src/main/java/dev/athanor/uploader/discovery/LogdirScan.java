package dev.athanor.uploader.discovery;

import java.util.List;

/**
 * One scan of a logdir.
 *
 * @param files          every event file found, ordered by run path then file name (TensorFlow's
 *                       names start with the creation time, so this is also write order)
 * @param unreadableDirs directories below the logdir that could not be listed, with the reason
 */
public record LogdirScan(List<DiscoveredFile> files, List<String> unreadableDirs) {

    public LogdirScan {
        files = List.copyOf(files);
        unreadableDirs = List.copyOf(unreadableDirs);
    }
}
