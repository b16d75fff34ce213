package dev.athanor.query.scalars;

import dev.athanor.index.write.ScalarPoints;
import dev.athanor.index.write.SubBlocks;
import dev.athanor.query.scalars.store.ChunkBlocks;
import dev.athanor.query.scalars.store.ChunkKey;
import dev.athanor.query.scalars.store.ChunkPoints;
import dev.athanor.query.scalars.store.ChunkReader;
import dev.athanor.query.scalars.store.ChunkSummary;
import dev.athanor.query.scalars.store.StepRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ChunkReader} over arrays, chunked like the index, that counts what it was asked to open.
 * Chunks added by {@link #addWithSubBlocks} carry the index writer's sub-block summaries, as
 * chunks written since V1_5_51 do; those added by {@link #add} have none, as older ones.
 */
final class InMemoryChunks implements ChunkReader {

    private final Map<Long, TreeMap<Long, ChunkPoints>> chunks = new HashMap<>();
    private final Map<ChunkKey, byte[]> subBlocks = new HashMap<>();
    int opened;

    /** Adds chunks of {@code chunkSize} points; those whose index {@code withSummaries} accepts get sub-blocks. */
    void addWithSubBlocks(long seriesId, long[] steps, double[] walls, double[] values, int chunkSize,
                          java.util.function.IntPredicate withSummaries) {
        add(seriesId, steps, walls, values, chunkSize);
        for (int from = 0, k = 0; from < steps.length; from += chunkSize, k++) {
            if (withSummaries.test(k)) {
                int to = Math.min(steps.length, from + chunkSize);
                subBlocks.put(new ChunkKey(seriesId, steps[from]), SubBlocks.encode(
                        ScalarPoints.of(steps, walls, values), from, to));
            }
        }
    }

    /**
     * Makes the series' summaries what V1_5_51's writer stored: the step blocks alone, version 1
     * (index-writer's SubBlocks layout: a 6-byte header, 60 bytes a block).
     */
    void toVersion1(long seriesId) {
        subBlocks.replaceAll((key, bytes) -> key.seriesId() != seriesId ? bytes : version1(bytes));
    }

    /** Current summaries as version 1: the step blocks alone. */
    static byte[] version1(byte[] bytes) {
        byte[] v1 = Arrays.copyOf(bytes, 6 + java.nio.ByteBuffer.wrap(bytes).getInt(2) * 60);
        v1[0] = 1;
        return v1;
    }

    @Override
    public List<ChunkBlocks> blocks(Collection<Long> seriesIds, StepRange range) {
        List<ChunkBlocks> out = new ArrayList<>();
        for (ChunkSummary s : summaries(seriesIds, range)) {
            out.add(new ChunkBlocks(s.seriesId(), s.firstStep(), s.lastStep(), s.pointCount(), subBlocks.get(s.key())));
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
