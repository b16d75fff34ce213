package dev.athanor.query.scalars.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces many series to a chart's pixel columns with M4 (Jugel et al., "M4: A Visualization-
 * Oriented Time Series Data Aggregation", VLDB 2014): in each column the first, last, minimum and
 * maximum points, which is all a line drawn through the raw points touches in that column, so the
 * line drawn through the kept points looks the same. The mean of each column is kept too, for
 * smoothing. Every series of a tag is cut into the same columns (one layout over the union of
 * their x extents: the chart's x axis), so columns line up across runs.
 *
 * <p>Chunks written with sub-block summaries are folded from those, on steps from their step
 * blocks and by wall time from their wall blocks ({@link SubBlockM4}: O(columns), the columns'
 * edges on the blocks' edges). Otherwise — chunks written before the summaries (or, by wall time,
 * before wall blocks), columns narrower than a block — every point in range is read (one
 * statement for all series, {@link ChunkReader#points}) and reduced in one pass: chunk roll-ups
 * cannot stand for a column, they carry neither the position of their extremes nor a sum.
 */
public final class M4Downsampler {

    private final ChunkReader reader;

    public M4Downsampler(ChunkReader reader) {
        this.reader = reader;
    }

    /** Every series cut into {@code buckets} columns of its tag's x extent. */
    public List<M4Series> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1: " + buckets);
        }
        if (x == XAxis.RELATIVE) {
            throw new IllegalArgumentException("pixel columns are laid out on step or wall_time, not relative time");
        }
        if (series.isEmpty()) {
            return List.of();
        }
        List<M4Series> folded = new SubBlockM4(reader, x).read(series, range, buckets);
        if (folded != null) {
            return folded;
        }
        Map<Long, ChunkPoints> points = reader.points(series.stream().map(ScalarSeriesRef::seriesId).toList(), range,
                x == XAxis.WALL_TIME);
        Map<String, double[]> extents = new HashMap<>();
        for (ScalarSeriesRef ref : series) {
            ChunkPoints p = points.get(ref.seriesId());
            if (p != null) {
                extents.merge(ref.tag(), extent(p, x), (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        List<M4Series> out = new ArrayList<>(series.size());
        for (ScalarSeriesRef ref : series) {
            ChunkPoints p = points.get(ref.seriesId());
            if (p == null) {
                out.add(new M4Series(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(), 0, new long[0], new double[0],
                        new double[0], new int[0], new Double[0]));
            } else {
                double[] e = extents.get(ref.tag());
                out.add(reduce(ref, p, BucketLayout.over(x, e[0], e[1], buckets)));
            }
        }
        return out;
    }

    private static double[] extent(ChunkPoints p, XAxis x) {
        if (x == XAxis.STEP) {
            return new double[] {p.steps()[0], p.steps()[p.size() - 1]};
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double w : p.wallTimes()) {
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        return new double[] {min, max};
    }

    /** One pass over the points (step order), then the kept indices of each column in order. */
    static M4Series reduce(ScalarSeriesRef ref, ChunkPoints p, BucketLayout layout) {
        int columns = layout.count();
        int[] first = new int[columns];
        int[] last = new int[columns];
        int[] min = new int[columns];
        int[] max = new int[columns];
        double[] sum = new double[columns];
        int[] finite = new int[columns];
        java.util.Arrays.fill(first, -1);
        java.util.Arrays.fill(min, -1);
        boolean walls = p.wallTimes().length > 0;
        double[] v = p.values();
        long[] pointSteps = p.steps();
        // On steps (ascending, integral edges) a column's points run until its end: the column is
        // looked up once per column, not divided out per point.
        boolean byStep = layout.x() == XAxis.STEP;
        int c = 0;
        double columnEnd = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.size(); i++) {
            if (!byStep) {
                c = layout.bucketOf(pointSteps[i], walls ? p.wallTimes()[i] : 0);
            } else if (pointSteps[i] >= columnEnd) {
                c = layout.bucketOf(pointSteps[i], 0);
                columnEnd = c == columns - 1 ? Double.POSITIVE_INFINITY : layout.lo() + (c + 1) * layout.width();
            }
            if (first[c] < 0) {
                first[c] = i;
            }
            last[c] = i;
            double value = v[i];
            if (Double.isFinite(value)) {
                if (min[c] < 0) {
                    min[c] = i;
                    max[c] = i;
                } else if (value < v[min[c]]) {
                    min[c] = i;
                } else if (value > v[max[c]]) {
                    max[c] = i;
                }
                sum[c] += value;
                finite[c]++;
            }
        }
        int[] kept = new int[Math.min(p.size(), 4 * columns)];
        int[] sizes = new int[columns];
        Double[] means = new Double[columns];
        int n = 0;
        int filled = 0;
        int[] four = new int[4];
        for (int b = 0; b < columns; b++) {
            if (first[b] < 0) {
                continue;
            }
            four[0] = first[b];
            four[1] = min[b] < 0 ? first[b] : min[b];
            four[2] = min[b] < 0 ? first[b] : max[b];
            four[3] = last[b];
            java.util.Arrays.sort(four);
            int start = n;
            for (int k = 0; k < 4; k++) {
                if (n == start || kept[n - 1] != four[k]) {
                    kept[n++] = four[k];
                }
            }
            sizes[filled] = n - start;
            means[filled] = finite[b] == 0 ? null : sum[b] / finite[b];
            filled++;
        }
        long[] steps = new long[n];
        double[] wallTimes = new double[walls ? n : 0];
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            steps[k] = p.steps()[kept[k]];
            values[k] = v[kept[k]];
            if (walls) {
                wallTimes[k] = p.wallTimes()[kept[k]];
            }
        }
        return new M4Series(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(), p.size(), steps, wallTimes, values,
                java.util.Arrays.copyOf(sizes, filled), java.util.Arrays.copyOf(means, filled));
    }
}
