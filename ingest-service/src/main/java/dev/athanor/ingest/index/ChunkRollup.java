package dev.athanor.ingest.index;

/**
 * Roll-up of a run of scalar points: count, min/max over finite values, NaN and infinity counts,
 * first and last value. Used for each scalar_chunk row and for the series row.
 */
final class ChunkRollup {

    int count;
    Double min;
    Double max;
    int nanCount;
    int infCount;

    static ChunkRollup of(ScalarPoints p, int from, int to) {
        ChunkRollup r = new ChunkRollup();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean anyFinite = false;
        for (int i = from; i < to; i++) {
            double v = p.values[i];
            if (Double.isNaN(v)) {
                r.nanCount++;
            } else if (Double.isInfinite(v)) {
                r.infCount++;
            } else {
                anyFinite = true;
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }
        r.count = to - from;
        if (anyFinite) {
            r.min = min;
            r.max = max;
        }
        return r;
    }
}
