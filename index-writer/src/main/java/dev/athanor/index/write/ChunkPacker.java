package dev.athanor.index.write;

import java.util.ArrayList;
import java.util.List;

/**
 * How scalar points become scalar_chunk rows: runs of at most {@code chunkPoints} consecutive
 * points, the last of which (the tail) may be partly filled and is rewritten as points arrive.
 * Pure functions over points; {@link PointRows} writes the rows.
 */
public final class ChunkPacker {

    private ChunkPacker() {
    }

    /** Points {@code [from, to)} of {@code points} as one chunk row, with its roll-up. */
    public record Chunk(ScalarPoints points, int from, int to, ChunkRollup rollup) {

        public int size() {
            return to - from;
        }

        public long firstStep() {
            return points.steps[from];
        }

        public long lastStep() {
            return points.steps[to - 1];
        }
    }

    /**
     * The chunks to write and the series' new tail: the last chunk when it is not full, else null.
     * {@code firstStep} is the first step of all the chunks.
     */
    public record Packing(List<Chunk> chunks, ScalarPoints newTail, long firstStep) {
    }

    /**
     * Packs {@code fresh} points after the series' stored {@code tail} (null when the last stored
     * chunk is full or there is none). The tail's row is replaced by the first chunk returned, so
     * a series never has two partly filled chunks.
     */
    public static Packing pack(ScalarPoints tail, ScalarPoints fresh, int chunkPoints) {
        if (chunkPoints <= 0) {
            throw new IllegalArgumentException("chunkPoints must be positive: " + chunkPoints);
        }
        ScalarPoints merged = fresh;
        if (tail != null) {
            merged = new ScalarPoints(tail.size + fresh.size);
            merged.addAll(tail);
            merged.addAll(fresh);
        }
        List<Chunk> chunks = new ArrayList<>(merged.size / chunkPoints + 1);
        ScalarPoints newTail = null;
        for (int from = 0; from < merged.size; from += chunkPoints) {
            int to = Math.min(merged.size, from + chunkPoints);
            chunks.add(new Chunk(merged, from, to, ChunkRollup.of(merged, from, to)));
            if (to - from < chunkPoints) {
                newTail = copy(merged, from, to);
            }
        }
        return new Packing(chunks, newTail, merged.steps[0]);
    }

    /** What a rewind to {@code step} keeps of a stored chunk that straddles it: its points below the step. */
    public static ScalarPoints keptBelow(ScalarPoints chunk, long step) {
        ScalarPoints kept = copy(chunk, 0, chunk.size);
        kept.truncateFrom(step);
        return kept;
    }

    private static ScalarPoints copy(ScalarPoints p, int from, int to) {
        ScalarPoints out = new ScalarPoints(to - from);
        for (int i = from; i < to; i++) {
            out.add(p.steps[i], p.wallTimes[i], p.values[i]);
        }
        return out;
    }
}
