package dev.athanor.query.scalars.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a series was sampled, returned with every series so a reader knows what it is looking at.
 *
 * @param method        {@code all}: every point in range is returned; {@code buckets}: points are
 *                      aggregated into at most maxPoints buckets over x, each with min/max/count
 * @param x             the axis buckets are laid out over
 * @param maxPoints     the bound asked for
 * @param pointsInRange points of the series inside the step range (the sum of the counts returned)
 * @param bucketWidth   nominal bucket width in x units (steps or seconds); buckets are aligned to
 *                      chunk boundaries where that avoids reading points, so actual bucket extents
 *                      are given per bucket by firstStep..step
 * @param chunksRead    chunk roll-ups consulted
 * @param chunksOpened  chunks whose points had to be read
 * @param coarseChunks  chunks wider than two buckets that were folded whole instead of read,
 *                      because reading them would exceed the point budget of one read (null when
 *                      none): the buckets holding them are wider than bucketWidth, still exact
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sampling(String method, String x, int maxPoints, long pointsInRange, Double bucketWidth,
                       int chunksRead, int chunksOpened, Integer coarseChunks) {
}
