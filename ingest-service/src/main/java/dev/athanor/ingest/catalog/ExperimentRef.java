package dev.athanor.ingest.catalog;

import java.time.Instant;

/** An experiment as the ingest side needs it: ids and the names that place it in the hot raw log. */
public record ExperimentRef(long id, String project, String name, String description, Instant createdAt) {
}
