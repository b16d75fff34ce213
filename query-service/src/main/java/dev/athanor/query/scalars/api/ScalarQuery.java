package dev.athanor.query.scalars.api;

import java.util.List;

/**
 * A scalar read for many runs × tags.
 *
 * @param experiment experiment id (with {@code filter}, selects runs), or null
 * @param runs       run ids, or null
 * @param filter     run filter expression, or null
 * @param tags       tags to read; empty or null reads every scalar tag of the runs
 * @param maxPoints  points (or buckets) per series; default 1000
 * @param x          {@code step} (default), {@code wall_time} or {@code relative} (seconds since each
 *                   series' first point in range): what buckets are laid out over; groups take step or relative
 * @param stepMin    first step of the range (inclusive), or null
 * @param stepMax    last step of the range (inclusive), or null
 * @param groupBy    group the runs: {@code hparams.<name>}, {@code label:<name>}, {@code label:},
 *                   {@code regex:<pattern with one capture group>} or a run attribute; null: no groups
 * @param aggregate  a group's center line: {@code mean} (default) or {@code median}
 * @param band       a group's band: {@code std} (default, center ± sample std) or {@code minmax}
 * @param members    with groupBy: also return every member's own series (cut into the same buckets)
 * @param width      instead of maxPoints: the chart's width in pixels; the answer is then the
 *                   compact {@link ChartResponse} (M4 per pixel column, a point budget shared by the lines)
 */
public record ScalarQuery(Long experiment, List<Long> runs, String filter, List<String> tags, Integer maxPoints,
                          String x, Long stepMin, Long stepMax, String groupBy, String aggregate, String band,
                          Boolean members, Integer width) {

    public ScalarQuery(Long experiment, List<Long> runs, String filter, List<String> tags, Integer maxPoints,
                       String x, Long stepMin, Long stepMax) {
        this(experiment, runs, filter, tags, maxPoints, x, stepMin, stepMax, null, null, null, null, null);
    }
}
