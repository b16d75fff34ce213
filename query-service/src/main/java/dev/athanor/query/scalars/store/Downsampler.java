package dev.athanor.query.scalars.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads many scalar series at once, each bounded to {@code maxPoints}, from chunk roll-ups.
 *
 * <ol>
 *   <li>Roll-ups of the chunks in range are read for every series (one query).</li>
 *   <li>Chunks cut by the step range are opened (one query) to count exactly what is in range.</li>
 *   <li>A series with at most maxPoints points in range is returned whole: every point.</li>
 *   <li>Otherwise x is split into maxPoints nominal buckets. A chunk that lies inside one bucket,
 *       or straddles a single bucket edge, is folded into one bucket from its roll-up (count,
 *       finite min/max, last value, NaN/Inf counts) without reading its points; the bucket's
 *       reported extent (firstStep..step) is exact, so nothing is misattributed. Only chunks
 *       wider than two buckets are opened (one query for all series) and split point by point.</li>
 * </ol>
 * With chunks no larger than the bucket width (the usual case: a 1M-point series has ~1000-point
 * chunks) nothing but roll-ups is read, so the cost is O(chunks in range), not O(points).
 * Bucket min/max are exact over the points each bucket stands for, so spikes survive; counts add
 * up to the points in range.
 */
public final class Downsampler {

    /** Points one series read may open to split wide chunks, unless configured otherwise. */
    public static final int DEFAULT_MAX_OPEN_POINTS = 250_000;

    private final ChunkReader reader;
    private final int maxOpenPoints;

    public Downsampler(ChunkReader reader) {
        this(reader, DEFAULT_MAX_OPEN_POINTS);
    }

    /**
     * @param maxOpenPoints budget of points a bucketed series may read to split chunks wider than
     *                      two buckets; beyond it those chunks are folded whole (exact, coarser)
     */
    public Downsampler(ChunkReader reader, int maxOpenPoints) {
        this.reader = reader;
        this.maxOpenPoints = maxOpenPoints;
    }

    public List<DownsampledSeries> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints) {
        return read(series, range, x, maxPoints, false);
    }

    /**
     * @param aligned every series of one tag is cut into the same buckets: one layout over the
     *                union of their x ranges, bucketed even when a series would fit whole, and
     *                each returned series says which shared bucket each point stands for (so run
     *                groups can aggregate bucket by bucket)
     */
    public List<DownsampledSeries> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints,
                                        boolean aligned) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be >= 1: " + maxPoints);
        }
        Map<Long, Plan> plans = new LinkedHashMap<>();
        for (ScalarSeriesRef ref : series) {
            plans.put(ref.seriesId(), new Plan(ref));
        }
        if (plans.isEmpty()) {
            return List.of();
        }
        for (ChunkSummary chunk : reader.summaries(plans.keySet(), range)) {
            Plan plan = plans.get(chunk.seriesId());
            if (plan == null) {
                continue;
            }
            plan.chunksRead++;
            if (range.containsAll(chunk.firstStep(), chunk.lastStep())) {
                plan.inside.add(chunk);
            } else {
                plan.edges.add(chunk);
            }
        }

        // Edge chunks: open them to count exactly what lies in range.
        List<ChunkKey> edgeKeys = new ArrayList<>();
        plans.values().forEach(p -> p.edges.forEach(c -> edgeKeys.add(c.key())));
        Map<ChunkKey, ChunkPoints> edgePoints = edgeKeys.isEmpty() ? Map.of() : reader.open(edgeKeys);
        for (Plan plan : plans.values()) {
            for (ChunkSummary edge : plan.edges) {
                ChunkPoints points = edgePoints.get(edge.key());
                plan.chunksOpened++;
                if (points != null) {
                    for (int i = 0; i < points.size(); i++) {
                        if (range.contains(points.steps()[i])) {
                            plan.loose.add(points, i);
                        }
                    }
                }
            }
            plan.pointsInRange = plan.loose.size;
            for (ChunkSummary c : plan.inside) {
                plan.pointsInRange += c.pointCount();
            }
        }

        // Decide per series what else must be read: every point of small series; for bucketed
        // series only the wide chunks, aggregated per bucket where they are stored.
        List<ChunkKey> toOpen = new ArrayList<>();
        List<ChunkKey> toAggregate = new ArrayList<>();
        Map<Long, BucketLayout> layouts = new HashMap<>();
        Map<String, BucketLayout> shared = aligned ? sharedLayouts(plans.values(), x, maxPoints) : Map.of();
        for (Plan plan : plans.values()) {
            if (aligned && plan.pointsInRange > 0) {
                plan.layout = shared.get(plan.ref.tag()).startingAt(plan.origin(x));
                plan.layOutBuckets(x, maxPoints, maxOpenPoints);
                layouts.put(plan.ref.seriesId(), plan.layout);
                toAggregate.addAll(plan.opened);
            } else if (plan.pointsInRange <= maxPoints) {
                plan.whole = true;
                plan.inside.forEach(c -> plan.opened.add(c.key()));
                toOpen.addAll(plan.opened);
            } else {
                plan.layOutBuckets(x, maxPoints, maxOpenPoints);
                layouts.put(plan.ref.seriesId(), plan.layout);
                toAggregate.addAll(plan.opened);
            }
        }
        Map<ChunkKey, ChunkPoints> opened = toOpen.isEmpty() ? Map.of() : reader.open(toOpen);
        Map<Long, List<BucketAggregate>> aggregates = new HashMap<>();
        if (!toAggregate.isEmpty()) {
            for (BucketAggregate a : reader.aggregate(toAggregate, layouts)) {
                aggregates.computeIfAbsent(a.seriesId(), id -> new ArrayList<>()).add(a);
            }
        }

        List<DownsampledSeries> out = new ArrayList<>(plans.size());
        for (Plan plan : plans.values()) {
            plan.chunksOpened += plan.opened.size();
            for (ChunkSummary c : plan.inside) {
                if (plan.whole && plan.opened.contains(c.key())) {
                    ChunkPoints points = opened.get(c.key());
                    if (points != null) {
                        for (int i = 0; i < points.size(); i++) {
                            plan.loose.add(points, i);
                        }
                    }
                }
            }
            out.add(plan.whole ? plan.everyPoint(x, maxPoints)
                    : plan.buckets(x, maxPoints, aggregates.getOrDefault(plan.ref.seriesId(), List.of())));
        }
        return out;
    }

    /** One layout per tag over the union of its series' extents (the rule of {@link BucketLayout#over}). */
    private static Map<String, BucketLayout> sharedLayouts(Iterable<Plan> plans, XAxis x, int maxPoints) {
        Map<String, double[]> extents = new HashMap<>();
        for (Plan plan : plans) {
            if (plan.pointsInRange == 0) {
                continue;
            }
            double[] own = plan.extent(x);
            extents.merge(plan.ref.tag(), own, (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        Map<String, BucketLayout> out = new HashMap<>();
        extents.forEach((tag, e) -> out.put(tag, BucketLayout.over(x, e[0], e[1], maxPoints)));
        return out;
    }

    /** Per-series working state. */
    private static final class Plan {
        final ScalarSeriesRef ref;
        final List<ChunkSummary> inside = new ArrayList<>();
        final List<ChunkSummary> edges = new ArrayList<>();
        final Set<ChunkKey> opened = new HashSet<>();
        final PointList loose = new PointList();
        long pointsInRange;
        int chunksRead;
        int chunksOpened;
        boolean whole;
        // Bucket layout (bucket mode only).
        BucketLayout layout;
        int coarseChunks;

        Plan(ScalarSeriesRef ref) {
            this.ref = ref;
        }

        /**
         * Where x = 0 lies on the wall-time line: on the relative axis the series' first wall time
         * in range, else 0 (steps and wall times are absolute).
         */
        double origin(XAxis x) {
            return x == XAxis.RELATIVE ? extent(XAxis.WALL_TIME)[0] : 0;
        }

        /** The series' x extent in range: {min, max} of its steps, wall times, or relative times (from 0). */
        double[] extent(XAxis x) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            long minStep = Long.MAX_VALUE;
            long maxStep = Long.MIN_VALUE;
            for (ChunkSummary c : inside) {
                minStep = Math.min(minStep, c.firstStep());
                maxStep = Math.max(maxStep, c.lastStep());
                min = Math.min(min, Math.min(c.firstWallTime(), c.lastWallTime()));
                max = Math.max(max, Math.max(c.firstWallTime(), c.lastWallTime()));
            }
            for (int i = 0; i < loose.size; i++) {
                minStep = Math.min(minStep, loose.steps[i]);
                maxStep = Math.max(maxStep, loose.steps[i]);
                min = Math.min(min, loose.walls[i]);
                max = Math.max(max, loose.walls[i]);
            }
            return x == XAxis.STEP ? new double[] {minStep, maxStep}
                    : x == XAxis.RELATIVE ? new double[] {0, max - min} : new double[] {min, max};
        }

        /** Lays out this series' own buckets unless a shared layout was set, then picks the chunks to split. */
        void layOutBuckets(XAxis x, int maxPoints, int maxOpenPoints) {
            if (layout == null) {
                double[] e = extent(x);
                layout = BucketLayout.over(x, e[0], e[1], maxPoints).startingAt(origin(x));
            }
            long toRead = 0;
            List<ChunkKey> wide = new ArrayList<>();
            for (ChunkSummary c : inside) {
                int b1 = layout.bucketOf(c.firstStep(), Math.min(c.firstWallTime(), c.lastWallTime()));
                int b2 = layout.bucketOf(c.lastStep(), Math.max(c.firstWallTime(), c.lastWallTime()));
                if (b2 - b1 > 1) {
                    wide.add(c.key());
                    toRead += c.pointCount();
                }
            }
            if (toRead <= maxOpenPoints) {
                opened.addAll(wide);
            } else {
                // Over budget: keep wide chunks whole. Every bucket stays exact over the points it
                // reports (firstStep..step); the affected buckets are just wider than asked.
                coarseChunks = wide.size();
            }
        }

        DownsampledSeries everyPoint(XAxis x, int maxPoints) {
            int n = loose.size;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(loose.steps[a], loose.steps[b]));
            double origin = origin(x);
            ScalarPoints points = new ScalarPoints(new double[n], new long[n], new double[n], new double[n],
                    new Double[n], new Double[n], new long[n], new long[n], new long[n]);
            for (int k = 0; k < n; k++) {
                int i = order[k];
                double v = loose.values[i];
                boolean finite = Double.isFinite(v);
                points.x()[k] = x == XAxis.STEP ? loose.steps[i] : loose.walls[i] - origin;
                points.step()[k] = loose.steps[i];
                points.wallTime()[k] = loose.walls[i];
                points.value()[k] = v;
                points.min()[k] = finite ? v : null;
                points.max()[k] = finite ? v : null;
                points.count()[k] = 1;
                points.firstStep()[k] = loose.steps[i];
                points.nanCount()[k] = Double.isNaN(v) ? 1 : 0;
            }
            return new DownsampledSeries(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(),
                    new Sampling("all", x.label(), maxPoints, pointsInRange, null, chunksRead, chunksOpened, null), points);
        }

        DownsampledSeries buckets(XAxis x, int maxPoints, List<BucketAggregate> aggregates) {
            BucketAccumulator[] buckets = new BucketAccumulator[layout.count()];
            for (ChunkSummary c : inside) {
                if (opened.contains(c.key())) {
                    continue;
                }
                double x1 = x == XAxis.STEP ? c.firstStep() : Math.min(c.firstWallTime(), c.lastWallTime());
                double x2 = x == XAxis.STEP ? c.lastStep() : Math.max(c.firstWallTime(), c.lastWallTime());
                int b1 = layout.bucketOf(c.firstStep(), x1);
                int b2 = layout.bucketOf(c.lastStep(), x2);
                int target = b1 == b2 ? b1 : layout.bucketOf(c.firstStep() + (c.lastStep() - c.firstStep()) / 2, (x1 + x2) / 2);
                bucket(buckets, target).addChunk(c);
            }
            for (BucketAggregate a : aggregates) {
                bucket(buckets, a.bucket()).addAggregate(a);
            }
            for (int i = 0; i < loose.size; i++) {
                bucket(buckets, layout.bucketOf(loose.steps[i], loose.walls[i]))
                        .addPoint(loose.steps[i], loose.walls[i], loose.values[i]);
            }
            List<BucketAccumulator> filled = new ArrayList<>();
            int[] indices = new int[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                if (buckets[i] != null) {
                    indices[filled.size()] = i;
                    filled.add(buckets[i]);
                }
            }
            int n = filled.size();
            double origin = origin(x);
            ScalarPoints points = new ScalarPoints(new double[n], new long[n], new double[n], new double[n],
                    new Double[n], new Double[n], new long[n], new long[n], new long[n]);
            for (int k = 0; k < n; k++) {
                BucketAccumulator b = filled.get(k);
                points.x()[k] = x == XAxis.STEP ? b.lastStep : b.lastWall - origin;
                points.step()[k] = b.lastStep;
                points.wallTime()[k] = b.lastWall;
                points.value()[k] = b.lastValue;
                points.min()[k] = b.hasFinite ? b.min : null;
                points.max()[k] = b.hasFinite ? b.max : null;
                points.count()[k] = b.count;
                points.firstStep()[k] = b.firstStep;
                points.nanCount()[k] = b.nanCount;
            }
            return new DownsampledSeries(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(),
                    new Sampling("buckets", x.label(), maxPoints, pointsInRange, layout.width(), chunksRead, chunksOpened,
                            coarseChunks == 0 ? null : coarseChunks), points, Arrays.copyOf(indices, n));
        }

        private static BucketAccumulator bucket(BucketAccumulator[] buckets, int index) {
            BucketAccumulator b = buckets[index];
            if (b == null) {
                b = new BucketAccumulator();
                buckets[index] = b;
            }
            return b;
        }
    }

    /** A growable columnar list of points. */
    private static final class PointList {
        long[] steps = new long[16];
        double[] walls = new double[16];
        double[] values = new double[16];
        int size;

        void add(ChunkPoints points, int i) {
            if (size == steps.length) {
                int grown = size * 2;
                steps = Arrays.copyOf(steps, grown);
                walls = Arrays.copyOf(walls, grown);
                values = Arrays.copyOf(values, grown);
            }
            steps[size] = points.steps()[i];
            walls[size] = points.wallTimes()[i];
            values[size] = points.values()[i];
            size++;
        }
    }
}
