package dev.athanor.query.scalars.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One group of runs and its aggregate curve per tag.
 *
 * @param key    the group's value (a number, string or boolean; null for the runs without one)
 * @param name   the key as text for a legend ("(none)" for the null key)
 * @param runIds the member runs, in natural name order
 * @param runs   their names, in the same order
 * @param series one aggregate series per tag that any member has
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ScalarGroup(Object key, String name, List<Long> runIds, List<String> runs, List<Series> series) {

    /**
     * @param runIds      the members that have this tag
     * @param bucketWidth steps per bucket of the layout every member was cut into
     * @param points      per bucket with at least one member point
     */
    public record Series(String tag, List<Long> runIds, double bucketWidth, Points points) {
    }

    /**
     * Columnar, index i = one bucket. {@code x}: the last step any member has in the bucket;
     * {@code center}: mean or median of the members' values; {@code low}/{@code high}: center ∓
     * sample std (null with one member) or min/max of the members' values; {@code count}: members
     * with a finite value in the bucket; {@code nonFinite}: members whose value there is NaN or ±Inf
     * (left out of the aggregate). center/low/high are null when count is 0.
     */
    public record Points(double[] x, Double[] center, Double[] low, Double[] high, int[] count, int[] nonFinite) {
    }

    /**
     * How groups were computed, returned with them.
     *
     * @param memberValue what one member contributes to a bucket: {@code last}, the value of its
     *                    last point in the bucket (the value its own downsampled line draws there)
     */
    public record Grouping(String groupBy, String aggregate, String band, String x, int maxPoints, String memberValue) {
    }
}
