package dev.athanor.ingest.catalog;

import java.time.Instant;

/** A run of an experiment; {@code status} is RUNNING, FINISHED or FAILED. */
public record RunRef(long id, ExperimentRef experiment, String path, String status, Instant startedAt, Instant endedAt) {
}
