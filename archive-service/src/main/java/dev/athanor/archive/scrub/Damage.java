package dev.athanor.archive.scrub;

/**
 * One archive_damage row as the REST listing shows it: which copy (kind, row id, run, store or
 * destination, URI and key), what it should hold, what the scrub found, and what happens about it.
 */
public record Damage(long id, String kind, long copyId, long runId, String project, String experiment, String run,
                     String store, String uri, String objectKey, long expectedSize, String expectedCrc32c,
                     String damage, String detail, String repair, String foundBy, String foundAt,
                     String repairedAt) {
}
