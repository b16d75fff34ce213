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
 * @param x          {@code step} (default) or {@code wall_time}: what buckets are laid out over
 * @param stepMin    first step of the range (inclusive), or null
 * @param stepMax    last step of the range (inclusive), or null
 */
public record ScalarQuery(Long experiment, List<Long> runs, String filter, List<String> tags, Integer maxPoints,
                          String x, Long stepMin, Long stepMax) {
}
