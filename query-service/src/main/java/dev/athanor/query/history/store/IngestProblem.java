package dev.athanor.query.history.store;

import java.time.Instant;

/**
 * Data of a run that ingest could not use, located in its source file: a record that could not be
 * decoded or indexed (the rest of the run was indexed around it).
 *
 * @param fileName   the source event file, or null when the problem is not about one file
 * @param fileOffset byte offset of the record in that file, or null
 */
public record IngestProblem(long id, String fileName, Long fileOffset, String kind, String message,
                            Instant createdAt) {
}
