package dev.athanor.query.common.series;

/**
 * The interned (run, tag) series with what kind of data it holds.
 *
 * @param dataClass TensorBoard data class number: 1 scalar, 2 tensor, 3 blob sequence, 0 unknown
 * @param metadata  the SummaryMetadata as first written, or null
 */
public record SeriesInfo(long seriesId, long runId, String run, String tag, String plugin, int dataClass,
                         byte[] metadata) {
}
