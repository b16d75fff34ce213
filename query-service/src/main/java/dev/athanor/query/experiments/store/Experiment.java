package dev.athanor.query.experiments.store;

import java.time.Instant;

/** An experiment with the number of runs it holds. */
public record Experiment(long id, String project, String name, String description, Instant createdAt,
                         Instant updatedAt, long runCount) {
}
