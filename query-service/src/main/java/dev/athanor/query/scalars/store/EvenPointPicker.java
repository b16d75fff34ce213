package dev.athanor.query.scalars.store;

import dev.athanor.query.common.series.EvenSample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks real points (not buckets) of scalar series: at most k per series, evenly by position in
 * step order, the newest always among them ({@link EvenSample}). The chunk roll-ups say how many
 * points each chunk holds, so only the chunks that hold a picked position are opened.
 */
public final class EvenPointPicker {

    private final ChunkReader chunks;

    public EvenPointPicker(ChunkReader chunks) {
        this.chunks = chunks;
    }

    /** The picked points of every series that has any, keyed by series id. */
    public Map<Long, ChunkPoints> pick(Collection<Long> seriesIds, int k) {
        Map<Long, List<ChunkSummary>> bySeries = new LinkedHashMap<>();
        for (ChunkSummary summary : chunks.summaries(seriesIds, StepRange.ALL)) {
            bySeries.computeIfAbsent(summary.seriesId(), id -> new ArrayList<>()).add(summary);
        }
        Map<Long, long[]> picks = new LinkedHashMap<>();
        Set<ChunkKey> needed = new HashSet<>();
        bySeries.forEach((series, summaries) -> {
            long total = summaries.stream().mapToLong(ChunkSummary::pointCount).sum();
            long[] positions = EvenSample.indices(total, k);
            picks.put(series, positions);
            forEachHolder(summaries, positions, (summary, within) -> needed.add(summary.key()));
        });
        Map<ChunkKey, ChunkPoints> opened = needed.isEmpty() ? Map.of() : chunks.open(needed);
        Map<Long, ChunkPoints> out = new LinkedHashMap<>();
        picks.forEach((series, positions) -> {
            long[] steps = new long[positions.length];
            double[] wallTimes = new double[positions.length];
            double[] values = new double[positions.length];
            int[] next = {0};
            forEachHolder(bySeries.get(series), positions, (summary, within) -> {
                ChunkPoints points = opened.get(summary.key());
                int i = next[0]++;
                steps[i] = points.steps()[within];
                wallTimes[i] = points.wallTimes()[within];
                values[i] = points.values()[within];
            });
            out.put(series, new ChunkPoints(steps, wallTimes, values));
        });
        return out;
    }

    private interface Holder {
        void accept(ChunkSummary chunk, int positionInChunk);
    }

    /** Walks the ascending positions and the chunks in step order together. */
    private static void forEachHolder(List<ChunkSummary> summaries, long[] positions, Holder holder) {
        int chunk = 0;
        long chunkStart = 0;
        for (long position : positions) {
            while (position >= chunkStart + summaries.get(chunk).pointCount()) {
                chunkStart += summaries.get(chunk).pointCount();
                chunk++;
            }
            holder.accept(summaries.get(chunk), (int) (position - chunkStart));
        }
    }
}
