package dev.athanor.query.curate.store;

import java.time.Instant;

/**
 * A run or an experiment in the trash. {@code kind} is "run" or "experiment"; {@code name} the
 * run's path or the experiment's name; runs trashed with their experiment are listed under it
 * (not on their own). {@code purgeAfter}: when the trash sweeper asks for the purge.
 */
public record TrashEntry(String kind, long id, String project, long experimentId, String experiment, String name,
                         Instant trashedAt, String trashedBy, Instant purgeAfter, Instant purgeRequestedAt,
                         String purgeError, Footprint footprint) {
}
