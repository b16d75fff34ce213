package dev.athanor.archive.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The archive lifecycle of one project. Durations are ISO-8601 (e.g. {@code P30D}, {@code PT12H}).
 *
 * @param coldAfter    move archived copies of runs that ended this long ago to the cold tier (null:
 *                     the service's default)
 * @param coldMinBytes only segments at least this large go cold (null: any size)
 * @param legalHold    while true, retention deletes nothing of the project
 * @param retention    delete runs (index, hot files, archived copies) that ended this long ago, with an
 *                     audit row each (null: keep forever)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectPolicy(String project, String coldAfter, Long coldMinBytes, boolean legalHold, String retention,
                            String updatedAt, String updatedBy) {
}
