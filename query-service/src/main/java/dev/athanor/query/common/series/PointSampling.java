package dev.athanor.query.common.series;

/**
 * How the steps of a tensor or blob series were picked.
 *
 * @param method        {@code all} (every step in range) or {@code even} (evenly spaced steps, first and
 *                      last always kept)
 * @param pointsInRange steps of the series inside the step range
 */
public record PointSampling(String method, int maxPoints, long pointsInRange) {

    public static PointSampling of(int returned, int maxPoints, long inRange) {
        return new PointSampling(returned >= inRange ? "all" : "even", maxPoints, inRange);
    }
}
