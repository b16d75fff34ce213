package dev.athanor.query.scalars.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One series as read: which series, how it was sampled, the points. {@code buckets} gives, for an
 * aligned read (members of run groups), the index of the shared bucket each point stands for, so
 * a member's points line up with its group's; null (left out of the JSON) otherwise.
 */
public record DownsampledSeries(long runId, String run, String tag, long totalPoints, Sampling sampling,
                                ScalarPoints points, @JsonInclude(JsonInclude.Include.NON_NULL) int[] buckets) {

    public DownsampledSeries(long runId, String run, String tag, long totalPoints, Sampling sampling,
                             ScalarPoints points) {
        this(runId, run, tag, totalPoints, sampling, points, null);
    }
}
