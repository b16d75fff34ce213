package dev.athanor.query.scalars.store;

import dev.athanor.index.write.SubBlocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * M4 columns on steps folded from the chunks' sub-block summaries (index-writer's
 * {@link SubBlocks}), so a chart costs O(columns) instead of O(points). Blocks are cut at the
 * multiples of a power-of-two stride, so each tag's columns are laid out with edges on the
 * multiples of the largest stride used ({@link BucketLayout#aligned}): every block then lies in one
 * column and the fold is exact — the same first, last, min and max points as the raw points give
 * in those columns, the series' last point included; the mean differs from a point-by-point sum
 * only by rounding. A chunk is read point by point when it has no summaries (written before them),
 * when the step range cuts it, or when its blocks are wider than the tag's columns would be.
 */
final class SubBlockM4 {

    private final ChunkReader reader;

    SubBlockM4(ChunkReader reader) {
        this.reader = reader;
    }

    /**
     * The series' columns, or null when no chunk in range has summaries narrower than a column
     * (the caller reads points).
     */
    List<M4Series> read(List<ScalarSeriesRef> series, StepRange range, int buckets) {
        List<ChunkBlocks> chunks = reader.blocks(series.stream().map(ScalarSeriesRef::seriesId).toList(), range);
        if (chunks.stream().noneMatch(c -> c.subBlocks() != null)) {
            return null;
        }
        Map<Long, List<ChunkBlocks>> bySeries = new LinkedHashMap<>();
        for (ChunkBlocks c : chunks) {
            bySeries.computeIfAbsent(c.seriesId(), id -> new ArrayList<>()).add(c);
        }
        // Chunks that must be read point by point whatever the columns: no summaries, or cut by the range.
        Map<ChunkKey, ChunkPoints> raw = new HashMap<>(open(chunks.stream()
                .filter(c -> c.subBlocks() == null || !range.containsAll(c.firstStep(), c.lastStep())).toList()));

        Map<String, long[]> extents = new HashMap<>();
        for (ScalarSeriesRef ref : series) {
            long[] e = extent(bySeries.getOrDefault(ref.seriesId(), List.of()), raw, range);
            if (e != null) {
                extents.merge(ref.tag(), e, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        // Per tag the columns' width without alignment; blocks wider than that are read point by point.
        Map<String, Long> nominal = new HashMap<>();
        extents.forEach((tag, e) -> nominal.put(tag, (long) BucketLayout.over(XAxis.STEP, e[0], e[1], buckets).width()));
        Map<String, Long> strides = new HashMap<>();
        List<ChunkBlocks> tooCoarse = new ArrayList<>();
        for (ScalarSeriesRef ref : series) {
            for (ChunkBlocks c : bySeries.getOrDefault(ref.seriesId(), List.of())) {
                if (raw.containsKey(c.key())) {
                    continue;
                }
                long stride = SubBlocks.strideOf(c.subBlocks());
                if (stride > nominal.get(ref.tag())) {
                    tooCoarse.add(c);
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
        raw.putAll(open(tooCoarse));

        Map<String, BucketLayout> layouts = new HashMap<>();
        extents.forEach((tag, e) -> layouts.put(tag, BucketLayout.aligned(e[0], e[1], buckets, strides.getOrDefault(tag, 1L))));
        List<M4Series> out = new ArrayList<>(series.size());
        for (ScalarSeriesRef ref : series) {
            List<ChunkBlocks> of = bySeries.getOrDefault(ref.seriesId(), List.of());
            BucketLayout layout = layouts.get(ref.tag());
            if (layout == null || extent(of, raw, range) == null) {
                out.add(new M4Series(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(), 0, new long[0], new double[0],
                        new double[0], new int[0], new Double[0]));
                continue;
            }
            ColumnFold fold = new ColumnFold(layout);
            long inRange = 0;
            for (ChunkBlocks c : of) {
                ChunkPoints points = raw.get(c.key());
                if (points == null) {
                    SubBlocks.read(c.subBlocks(), c.firstStep(), fold::block);
                    inRange += c.pointCount();
                    continue;
                }
                for (int i = 0; i < points.size(); i++) {
                    if (range.contains(points.steps()[i])) {
                        fold.point(points.steps()[i], points.values()[i]);
                        inRange++;
                    }
                }
            }
            out.add(fold.toSeries(ref, inRange));
        }
        return out;
    }

    private Map<ChunkKey, ChunkPoints> open(List<ChunkBlocks> chunks) {
        return chunks.isEmpty() ? Map.of() : reader.open(chunks.stream().map(ChunkBlocks::key).toList());
    }

    /** First and last step in range of one series' chunks (points of those read point by point), or null if none. */
    private static long[] extent(List<ChunkBlocks> chunks, Map<ChunkKey, ChunkPoints> raw, StepRange range) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ChunkBlocks c : chunks) {
            ChunkPoints points = raw.get(c.key());
            if (points == null) {
                first = Math.min(first, c.firstStep());
                last = Math.max(last, c.lastStep());
                continue;
            }
            for (long step : points.steps()) {
                if (range.contains(step)) {
                    first = Math.min(first, step);
                    last = Math.max(last, step);
                }
            }
        }
        return first > last ? null : new long[] {first, last};
    }
}
