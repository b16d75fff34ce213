package dev.athanor.query.scalars;

import dev.athanor.index.write.ScalarPoints;
import dev.athanor.index.write.SubBlocks;
import dev.athanor.query.scalars.store.ChunkBlocks;
import dev.athanor.query.scalars.store.ChunkKey;
import dev.athanor.query.scalars.store.ChunkPoints;
import dev.athanor.query.scalars.store.ChunkReader;
import dev.athanor.query.scalars.store.ChunkSummary;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.XAxis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ChunkReader} over arrays, chunked like the index, that counts what it was asked to open.
 * Chunks added by {@link #addWithSubBlocks} carry the index writer's summaries in their two columns
 * (step blocks, wall blocks), as chunks written since V1_5_57 do; those added by {@link #add} have
 * none, as those written before V1_5_51. {@link #toVersion1} and {@link #toCombined} turn a series'
 * chunks into what the writers of V1_5_51 and of 2026-12-06 stored.
 */
final class InMemoryChunks implements ChunkReader {

    private final Map<Long, TreeMap<Long, ChunkPoints>> chunks = new HashMap<>();
    private final Map<ChunkKey, byte[]> subBlocks = new HashMap<>();
    private final Map<ChunkKey, byte[]> wallBlocks = new HashMap<>();
    int opened;

    /** Adds chunks of {@code chunkSize} points; those whose index {@code withSummaries} accepts get sub-blocks. */
    void addWithSubBlocks(long seriesId, long[] steps, double[] walls, double[] values, int chunkSize,
                          java.util.function.IntPredicate withSummaries) {
        add(seriesId, steps, walls, values, chunkSize);
        for (int from = 0, k = 0; from < steps.length; from += chunkSize, k++) {
            if (withSummaries.test(k)) {
                int to = Math.min(steps.length, from + chunkSize);
                SubBlocks.Summaries s = SubBlocks.summarize(ScalarPoints.of(steps, walls, values), from, to);
                ChunkKey key = new ChunkKey(seriesId, steps[from]);
                subBlocks.put(key, s.stepBlocks());
                wallBlocks.put(key, s.wallBlocks());
            }
        }
    }

    /** Makes the series' summaries what V1_5_51's writer stored: the step blocks alone (version 1), no wall blocks. */
    void toVersion1(long seriesId) {
        wallBlocks.keySet().removeIf(key -> key.seriesId() == seriesId);
    }

    /** Makes the series' summaries what the 2026-12-06 writer stored: both in sub_blocks (version 2), no wall_blocks. */
    void toCombined(long seriesId) {
        subBlocks.replaceAll((key, bytes) -> key.seriesId() != seriesId || !wallBlocks.containsKey(key) ? bytes
                : SubBlocks.combined(new SubBlocks.Summaries(bytes, wallBlocks.get(key))));
        toVersion1(seriesId);
    }

    @Override
    public List<ChunkBlocks> blocks(Collection<Long> seriesIds, StepRange range, XAxis x) {
        List<ChunkBlocks> out = new ArrayList<>();
        for (ChunkSummary s : summaries(seriesIds, range)) {
            byte[] steps = subBlocks.get(s.key());
            byte[] blocks = x == XAxis.STEP ? steps : ChunkBlocks.wallBlocks(wallBlocks.get(s.key()),
                    steps != null && SubBlocks.versionOf(steps) == SubBlocks.COMBINED_VERSION ? steps : null);
            out.add(new ChunkBlocks(s.seriesId(), s.firstStep(), s.lastStep(), s.pointCount(), blocks));
        }
        return out;
    }

    void add(long seriesId, long[] steps, double[] walls, double[] values, int chunkSize) {
        TreeMap<Long, ChunkPoints> series = chunks.computeIfAbsent(seriesId, id -> new TreeMap<>());
        for (int from = 0; from < steps.length; from += chunkSize) {
            int to = Math.min(steps.length, from + chunkSize);
            series.put(steps[from], new ChunkPoints(Arrays.copyOfRange(steps, from, to),
                    Arrays.copyOfRange(walls, from, to), Arrays.copyOfRange(values, from, to)));
        }
    }

    @Override
    public List<ChunkSummary> summaries(Collection<Long> seriesIds, StepRange range) {
        List<ChunkSummary> out = new ArrayList<>();
        for (long id : seriesIds.stream().sorted().toList()) {
            for (ChunkPoints c : chunks.getOrDefault(id, new TreeMap<>()).values()) {
                long first = c.steps()[0];
                long last = c.steps()[c.size() - 1];
                if (last < range.lo() || first > range.hi()) {
                    continue;
                }
                out.add(summary(id, c));
            }
        }
        return out;
    }

    static ChunkSummary summary(long id, ChunkPoints c) {
        Double min = null;
        Double max = null;
        int nans = 0;
        int infs = 0;
        for (double v : c.values()) {
            if (Double.isNaN(v)) {
                nans++;
            } else if (Double.isInfinite(v)) {
                infs++;
            } else {
                min = min == null ? v : Math.min(min, v);
                max = max == null ? v : Math.max(max, v);
            }
        }
        int n = c.size();
        return new ChunkSummary(id, c.steps()[0], c.steps()[n - 1], n, min, max, c.values()[0], c.values()[n - 1],
                c.wallTimes()[0], c.wallTimes()[n - 1], nans, infs);
    }

    @Override
    public Map<ChunkKey, ChunkPoints> open(Collection<ChunkKey> keys) {
        Map<ChunkKey, ChunkPoints> out = new HashMap<>();
        for (ChunkKey key : keys) {
            opened++;
            out.put(key, chunks.get(key.seriesId()).get(key.firstStep()));
        }
        return out;
    }
}
