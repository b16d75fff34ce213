package dev.athanor.query.scalars.store;

import dev.athanor.index.write.SubBlocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * M4 columns folded from the chunks' sub-block summaries (index-writer's {@link SubBlocks}), so a
 * chart costs O(columns) instead of O(points). On steps the blocks are cut at the multiples of a
 * power-of-two stride of steps, by wall time at the multiples of a power-of-two number of seconds
 * (wall blocks); each tag's columns are laid out with edges on the multiples of the largest stride
 * used ({@link BucketLayout#aligned}, {@link BucketLayout#alignedWall}): every block then lies in
 * one column and the fold is exact — the same first, last, min and max points as the raw points
 * give in those columns, the series' last point included; the mean differs from a point-by-point
 * sum only by rounding. By wall time each block's lowest and highest wall time are checked against
 * the columns, so wall times that go back (a restarted job's) cost nothing in exactness: such a
 * chunk has more blocks, or none (it is then read point by point). Only the axis' summaries are
 * read (step blocks and wall blocks are separate columns). A chunk is read point by point when it
 * has no summaries for the axis (written before them, or before wall blocks and not yet
 * backfilled), when the step range cuts it, or when its blocks are wider than the tag's columns would be.
 */
final class SubBlockM4 {

    private final ChunkReader reader;
    private final XAxis x;

    SubBlockM4(ChunkReader reader, XAxis x) {
        if (x == XAxis.RELATIVE) {
            throw new IllegalArgumentException("sub-block columns are laid out on step or wall_time");
        }
        this.reader = reader;
        this.x = x;
    }

    /**
     * The series' columns, or null when no chunk in range has summaries narrower than a column
     * (the caller reads points).
     */
    List<M4Series> read(List<ScalarSeriesRef> series, StepRange range, int buckets) {
        List<ChunkBlocks> chunks = reader.blocks(series.stream().map(ScalarSeriesRef::seriesId).toList(), range, x);
        if (chunks.stream().noneMatch(this::summarized)) {
            return null;
        }
        Map<Long, List<ChunkBlocks>> bySeries = new LinkedHashMap<>();
        for (ChunkBlocks c : chunks) {
            bySeries.computeIfAbsent(c.seriesId(), id -> new ArrayList<>()).add(c);
        }
        // Chunks that must be read point by point whatever the columns: no summaries, or cut by the range.
        Map<ChunkKey, ChunkPoints> raw = new HashMap<>(open(chunks.stream()
                .filter(c -> !summarized(c) || !range.containsAll(c.firstStep(), c.lastStep())).toList()));

        Map<ChunkKey, double[]> chunkExtents = new HashMap<>();
        Map<String, double[]> extents = new HashMap<>();
        for (ScalarSeriesRef ref : series) {
            double[] e = extent(bySeries.getOrDefault(ref.seriesId(), List.of()), raw, range, chunkExtents);
            if (e != null) {
                extents.merge(ref.tag(), e, (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        // Per tag the columns' width without alignment; blocks wider than that are read point by point.
        Map<String, Double> nominal = new HashMap<>();
        extents.forEach((tag, e) -> nominal.put(tag, BucketLayout.over(x, e[0], e[1], buckets).width()));
        Map<String, Double> strides = new HashMap<>();
        Map<ChunkKey, ChunkBlocks> tooCoarse = new LinkedHashMap<>();
        for (ScalarSeriesRef ref : series) {
            for (ChunkBlocks c : bySeries.getOrDefault(ref.seriesId(), List.of())) {
                if (raw.containsKey(c.key())) {
                    continue;
                }
                double stride = stride(c);
                if (stride > nominal.get(ref.tag())) {
                    tooCoarse.put(c.key(), c);
                } else {
                    strides.merge(ref.tag(), stride, Math::max);
                }
            }
        }
        if (strides.isEmpty()) {
            // No block is narrower than a column (many columns: 10 runs at 1000 px): the point read
            // is faster than opening every chunk whole, and lays the columns out alike.
            return null;
        }
        Map<String, BucketLayout> layouts = new HashMap<>();
        extents.forEach((tag, e) -> layouts.put(tag, layout(e, buckets, strides.get(tag))));
        if (x == XAxis.WALL_TIME) {
            // A block whose wall times straddle an edge after all (rounding at the very edge) is read point by point.
            for (ScalarSeriesRef ref : series) {
                for (ChunkBlocks c : bySeries.getOrDefault(ref.seriesId(), List.of())) {
                    if (!raw.containsKey(c.key()) && !tooCoarse.containsKey(c.key()) && !allHeld(c, layouts.get(ref.tag()))) {
                        tooCoarse.put(c.key(), c);
                    }
                }
            }
        }
        raw.putAll(open(List.copyOf(tooCoarse.values())));

        List<M4Series> out = new ArrayList<>(series.size());
        for (ScalarSeriesRef ref : series) {
            List<ChunkBlocks> of = bySeries.getOrDefault(ref.seriesId(), List.of());
            BucketLayout layout = layouts.get(ref.tag());
            if (layout == null || extent(of, raw, range, chunkExtents) == null) {
                out.add(new M4Series(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(), 0, new long[0], new double[0],
                        new double[0], new int[0], new Double[0]));
                continue;
            }
            ColumnFold fold = new ColumnFold(layout);
            long inRange = 0;
            for (ChunkBlocks c : of) {
                ChunkPoints points = raw.get(c.key());
                if (points == null) {
                    if (x == XAxis.STEP) {
                        SubBlocks.read(c.blocks(), c.firstStep(), fold::block);
                    } else {
                        SubBlocks.readWalls(c.blocks(), c.firstStep(), fold::wallBlock);
                    }
                    inRange += c.pointCount();
                    continue;
                }
                for (int i = 0; i < points.size(); i++) {
                    if (range.contains(points.steps()[i])) {
                        fold.point(points.steps()[i], points.wallTimes()[i], points.values()[i]);
                        inRange++;
                    }
                }
            }
            out.add(fold.toSeries(ref, inRange));
        }
        return out;
    }

    /** Whether the chunk has summaries this axis can fold. */
    private boolean summarized(ChunkBlocks c) {
        return c.blocks() != null && (x == XAxis.STEP || SubBlocks.hasWallBlocks(c.blocks()));
    }

    private double stride(ChunkBlocks c) {
        return x == XAxis.STEP ? SubBlocks.strideOf(c.blocks()) : SubBlocks.wallStrideOf(c.blocks());
    }

    /** The tag's columns: edges on the stride, or as the point read lays them out when no chunk of the tag folds. */
    private BucketLayout layout(double[] extent, int buckets, Double stride) {
        if (stride == null) {
            return BucketLayout.over(x, extent[0], extent[1], buckets);
        }
        return x == XAxis.STEP ? BucketLayout.aligned((long) extent[0], (long) extent[1], buckets, stride.longValue())
                : BucketLayout.alignedWall(extent[0], extent[1], buckets, stride);
    }

    private static boolean allHeld(ChunkBlocks c, BucketLayout layout) {
        boolean[] held = {true};
        SubBlocks.readWalls(c.blocks(), c.firstStep(), (fs, fw, fv, ls, lw, lv, has, ms, mw, mv, xs, xw, xv, sum, n,
                wallLo, wallHi) -> held[0] &= ColumnFold.holds(layout, wallLo, wallHi));
        return held[0];
    }

    private Map<ChunkKey, ChunkPoints> open(List<ChunkBlocks> chunks) {
        return chunks.isEmpty() ? Map.of() : reader.open(chunks.stream().map(ChunkBlocks::key).toList());
    }

    /**
     * Lowest and highest x (step or wall time) in range of one series' chunks (points of those read
     * point by point), or null if none; a summarized chunk's wall extent is kept in {@code chunkExtents}.
     */
    private double[] extent(List<ChunkBlocks> chunks, Map<ChunkKey, ChunkPoints> raw, StepRange range,
                            Map<ChunkKey, double[]> chunkExtents) {
        double first = Double.POSITIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;
        for (ChunkBlocks c : chunks) {
            ChunkPoints points = raw.get(c.key());
            if (points == null) {
                double[] e = x == XAxis.STEP ? new double[] {c.firstStep(), c.lastStep()}
                        : chunkExtents.computeIfAbsent(c.key(), k -> wallExtent(c));
                first = Math.min(first, e[0]);
                last = Math.max(last, e[1]);
                continue;
            }
            for (int i = 0; i < points.size(); i++) {
                if (range.contains(points.steps()[i])) {
                    double v = x == XAxis.STEP ? points.steps()[i] : points.wallTimes()[i];
                    first = Math.min(first, v);
                    last = Math.max(last, v);
                }
            }
        }
        return first > last ? null : new double[] {first, last};
    }

    private static double[] wallExtent(ChunkBlocks c) {
        double[] e = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        SubBlocks.readWalls(c.blocks(), c.firstStep(), (fs, fw, fv, ls, lw, lv, has, ms, mw, mv, xs, xw, xv, sum, n,
                wallLo, wallHi) -> {
            e[0] = Math.min(e[0], wallLo);
            e[1] = Math.max(e[1], wallHi);
        });
        return e;
    }
}
