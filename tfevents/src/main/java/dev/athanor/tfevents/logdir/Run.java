package dev.athanor.tfevents.logdir;

import java.nio.file.Path;
import java.util.List;

/**
 * A run: a directory of the logdir that holds event files.
 *
 * @param name       the directory relative to the logdir root, '/'-separated; "." for the root itself
 * @param directory  the directory
 * @param eventFiles its event files, sorted by file name (the order writers create them in:
 *                   the name starts with the creation time in seconds)
 */
public record Run(String name, Path directory, List<Path> eventFiles) {

    public Run {
        eventFiles = List.copyOf(eventFiles);
    }
}
