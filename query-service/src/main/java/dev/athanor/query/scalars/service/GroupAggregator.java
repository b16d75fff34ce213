package dev.athanor.query.scalars.service;

import dev.athanor.query.scalars.api.ScalarGroup;
import dev.athanor.query.scalars.store.DownsampledSeries;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Aggregates the aligned, downsampled series of a group's members bucket by bucket. Cost follows
 * the buckets (members × maxPoints), never the points behind them: each member contributes one
 * value per bucket — the value of its last point there, which roll-ups give without reading
 * points (a mean per bucket would need every point).
 */
public final class GroupAggregator {

    public enum Center { MEAN, MEDIAN }

    public enum Band { STD, MINMAX }

    private GroupAggregator() {
    }

    /** The group's curve for one tag; {@code members} were read aligned (same buckets for a tag). */
    public static ScalarGroup.Points aggregate(List<DownsampledSeries> members, Center center, Band band) {
        TreeMap<Integer, Bucket> buckets = new TreeMap<>();
        for (DownsampledSeries s : members) {
            int[] index = s.buckets();
            if (index == null) {
                throw new IllegalArgumentException("series " + s.run() + "/" + s.tag() + " was not read aligned");
            }
            for (int i = 0; i < index.length; i++) {
                Bucket b = buckets.computeIfAbsent(index[i], k -> new Bucket());
                b.x = Math.max(b.x, s.points().x()[i]);
                double v = s.points().value()[i];
                if (Double.isFinite(v)) {
                    b.add(v);
                } else {
                    b.nonFinite++;
                }
            }
        }
        int n = buckets.size();
        double[] x = new double[n];
        Double[] mid = new Double[n];
        Double[] low = new Double[n];
        Double[] high = new Double[n];
        int[] count = new int[n];
        int[] nonFinite = new int[n];
        int k = 0;
        for (Bucket b : buckets.values()) {
            x[k] = b.x;
            count[k] = b.size;
            nonFinite[k] = b.nonFinite;
            if (b.size > 0) {
                double[] v = Arrays.copyOf(b.values, b.size);
                double c = center == Center.MEAN ? mean(v) : median(v);
                mid[k] = c;
                if (band == Band.MINMAX) {
                    low[k] = Arrays.stream(v).min().getAsDouble();
                    high[k] = Arrays.stream(v).max().getAsDouble();
                } else if (v.length > 1) {
                    double sd = sampleStd(v);
                    low[k] = c - sd;
                    high[k] = c + sd;
                }
            }
            k++;
        }
        return new ScalarGroup.Points(x, mid, low, high, count, nonFinite);
    }

    static double mean(double[] v) {
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        return sum / v.length;
    }

    /** PostgreSQL's percentile_cont(0.5): the middle value, or the mean of the two middle ones. */
    static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /** PostgreSQL's stddev_samp: n − 1 in the denominator (two passes, for accuracy). */
    static double sampleStd(double[] v) {
        double mean = mean(v);
        double sq = 0;
        for (double d : v) {
            sq += (d - mean) * (d - mean);
        }
        return Math.sqrt(sq / (v.length - 1));
    }

    private static final class Bucket {
        double x = Double.NEGATIVE_INFINITY;
        double[] values = new double[4];
        int size;
        int nonFinite;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
