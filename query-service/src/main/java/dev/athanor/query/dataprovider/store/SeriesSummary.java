package dev.athanor.query.dataprovider.store;

/**
 * One time series of an experiment as TensorBoard lists it.
 *
 * @param metadata    the SummaryMetadata as the event file first wrote it (serialized), or null
 * @param maxStep     the largest step stored
 * @param maxWallTime the largest wall time stored (for scalars: of the chunks' last points)
 * @param maxLength   blob sequences: the most blobs at one step; 0 for other data classes
 */
public record SeriesSummary(long runId, String run, long seriesId, String tag, byte[] metadata, long maxStep,
                            double maxWallTime, long maxLength) {
}
