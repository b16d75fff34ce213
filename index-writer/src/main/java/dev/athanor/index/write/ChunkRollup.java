package dev.athanor.index.write;

/**
 * Roll-up of a run of scalar points: count, min/max over finite values (null when none is finite),
 * NaN and infinity counts. Kept on each scalar_chunk row and, summed, on the series row.
 */
public record ChunkRollup(int count, Double min, Double max, int nanCount, int infCount) {

    public static ChunkRollup of(ScalarPoints p, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean anyFinite = false;
        int nans = 0;
        int infs = 0;
        for (int i = from; i < to; i++) {
            double v = p.values[i];
            if (Double.isNaN(v)) {
                nans++;
            } else if (Double.isInfinite(v)) {
                infs++;
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
        return anyFinite ? new ChunkRollup(to - from, min, max, nans, infs)
                : new ChunkRollup(to - from, null, null, nans, infs);
    }
}
