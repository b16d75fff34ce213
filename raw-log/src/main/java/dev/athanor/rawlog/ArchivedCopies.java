package dev.athanor.rawlog;

import java.io.IOException;

/**
 * Finds the archived copy of a segment. The catalog (archive_object) is the only authority, never
 * a bucket listing, so implementations live with the services that can query it.
 */
@FunctionalInterface
public interface ArchivedCopies {

    /** Where a verified copy is and its size, as the catalog records them. */
    record Copy(String key, long size) {
    }

    /**
     * The segment's verified copy, readable now.
     *
     * @throws java.nio.file.NoSuchFileException when there is no verified copy
     * @throws IOException                       when the copy cannot be read now (say it needs a restore)
     */
    Copy readable(String segment) throws IOException;
}
