package dev.athanor.index.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Chunk packing, merging into the tail chunk and what a rewind keeps, without PostgreSQL. */
class ChunkPackerTest {

    /** Points at the given steps; wall time is step + 1000 and the value is step / 2. */
    private static ScalarPoints points(long... steps) {
        ScalarPoints p = new ScalarPoints(steps.length);
        for (long step : steps) {
            p.add(step, step + 1000, step / 2.0);
        }
        return p;
    }

    private static long[] steps(ScalarPoints p, int from, int to) {
        return Arrays.copyOfRange(p.steps, from, to);
    }

    private static long[] steps(ChunkPacker.Chunk c) {
        return steps(c.points(), c.from(), c.to());
    }

    private static long[] range(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).toArray();
    }

    @Test
    void freshPointsFillWholeChunksAndTheRestBecomesTheTail() {
        ChunkPacker.Packing packing = ChunkPacker.pack(null, points(range(0, 7)), 3);

        List<ChunkPacker.Chunk> chunks = packing.chunks();
        assertThat(chunks).hasSize(3);
        assertThat(steps(chunks.get(0))).containsExactly(0, 1, 2);
        assertThat(steps(chunks.get(1))).containsExactly(3, 4, 5);
        assertThat(steps(chunks.get(2))).containsExactly(6);
        assertThat(chunks.get(1).firstStep()).isEqualTo(3);
        assertThat(chunks.get(1).lastStep()).isEqualTo(5);
        assertThat(packing.newTail()).isNotNull();
        assertThat(steps(packing.newTail(), 0, packing.newTail().size)).containsExactly(6);
        assertThat(packing.newTail().wallTimes[0]).isEqualTo(1006);
        assertThat(packing.firstStep()).isZero();
    }

    @Test
    void aFullLastChunkLeavesNoTail() {
        ChunkPacker.Packing packing = ChunkPacker.pack(null, points(range(10, 16)), 3);

        assertThat(packing.chunks()).hasSize(2);
        assertThat(packing.newTail()).isNull();
    }

    @Test
    void freshPointsAreMergedIntoTheStoredTailChunk() {
        ScalarPoints tail = points(0, 1);
        ChunkPacker.Packing packing = ChunkPacker.pack(tail, points(2, 3, 4, 5, 6), 4);

        assertThat(packing.chunks()).hasSize(2);
        // The first chunk replaces the tail row: it starts at the tail's first step.
        assertThat(steps(packing.chunks().get(0))).containsExactly(0, 1, 2, 3);
        assertThat(steps(packing.chunks().get(1))).containsExactly(4, 5, 6);
        assertThat(packing.firstStep()).isZero();
        assertThat(steps(packing.newTail(), 0, packing.newTail().size)).containsExactly(4, 5, 6);
        assertThat(tail.size).as("the stored tail is not changed").isEqualTo(2);
    }

    @Test
    void aTailStillNotFullStaysTheOnlyPartChunk() {
        ChunkPacker.Packing packing = ChunkPacker.pack(points(0, 1), points(2), 5);

        assertThat(packing.chunks()).singleElement().satisfies(c -> assertThat(steps(c)).containsExactly(0, 1, 2));
        assertThat(packing.newTail().size).isEqualTo(3);
    }

    @Test
    void eachChunkCarriesTheRollupOfItsOwnPoints() {
        ScalarPoints fresh = new ScalarPoints(4);
        fresh.add(0, 1, 5);
        fresh.add(1, 1, Double.NaN);
        fresh.add(2, 1, -2);
        fresh.add(3, 1, Double.POSITIVE_INFINITY);
        ChunkPacker.Packing packing = ChunkPacker.pack(null, fresh, 2);

        ChunkRollup first = packing.chunks().get(0).rollup();
        ChunkRollup second = packing.chunks().get(1).rollup();
        assertThat(first.count()).isEqualTo(2);
        assertThat(first.min()).isEqualTo(5);
        assertThat(first.nanCount()).isEqualTo(1);
        assertThat(first.infCount()).isZero();
        assertThat(second.min()).isEqualTo(-2);
        assertThat(second.max()).isEqualTo(-2);
        assertThat(second.infCount()).isEqualTo(1);
    }

    @Test
    void aRewindKeepsTheStraddlingChunksPointsBelowTheStep() {
        ScalarPoints chunk = points(10, 20, 30, 40);

        ScalarPoints kept = ChunkPacker.keptBelow(chunk, 30);

        assertThat(steps(kept, 0, kept.size)).containsExactly(10, 20);
        assertThat(kept.values[1]).isEqualTo(10.0);
        assertThat(chunk.size).as("the chunk read from the table is not changed").isEqualTo(4);
        assertThat(ChunkPacker.keptBelow(chunk, 25).lastStep()).isEqualTo(20);
    }

    @Test
    void packingAfterARewindStartsFromWhatTheRewindKept() {
        // Stored tail 0..4 with chunks of 8; the run restarts at step 3 and writes 3..9.
        ScalarPoints kept = ChunkPacker.keptBelow(points(range(0, 5)), 3);
        ChunkPacker.Packing packing = ChunkPacker.pack(kept, points(range(3, 10)), 8);

        assertThat(steps(packing.chunks().get(0))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(steps(packing.newTail(), 0, packing.newTail().size)).containsExactly(8, 9);
    }

    @Test
    void aChunkSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> ChunkPacker.pack(null, points(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
