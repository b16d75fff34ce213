package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.scalars.store.ChunkPoints;
import dev.athanor.query.scalars.store.EvenPointPicker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data provider's scalar sampling (TensorBoard's contract): real points, at most k, the newest
 * always kept, every point when there are no more than k, none for k = 0, the same points every
 * time — found from the chunk roll-ups, opening only the chunks that hold a picked point.
 */
class EvenPointPickerTest {

    private static final int POINTS = 1000;
    private static final int CHUNK = 7;

    private final InMemoryChunks chunks = new InMemoryChunks();

    EvenPointPickerTest() {
        long[] steps = new long[POINTS];
        double[] walls = new double[POINTS];
        double[] values = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            steps[i] = 3L * i + 5;           // not positions: steps have gaps
            walls[i] = 100.0 + i;
            values[i] = Math.sin(i);
        }
        chunks.add(1, steps, walls, values, CHUNK);
        chunks.add(2, new long[] {4, 9}, new double[] {1, 2}, new double[] {0.5, 0.25}, CHUNK);
    }

    @Test
    void keepsTheNewestPointAndPicksRealPointsDeterministically() {
        for (int k : List.of(1, 2, 3, 10, 333, 999)) {
            ChunkPoints picked = new EvenPointPicker(chunks).pick(List.of(1L), k).get(1L);
            assertThat(picked.size()).as("k=%d", k).isEqualTo(k);
            assertThat(picked.steps()[k - 1]).as("the newest, k=%d", k).isEqualTo(3L * (POINTS - 1) + 5);
            if (k >= 2) {
                assertThat(picked.steps()[0]).as("the first, k=%d", k).isEqualTo(5);
            }
            List<Long> steps = new ArrayList<>();
            for (int i = 0; i < picked.size(); i++) {
                int position = (int) ((picked.steps()[i] - 5) / 3);
                assertThat(picked.wallTimes()[i]).isEqualTo(100.0 + position);
                assertThat(picked.values()[i]).isEqualTo(Math.sin(position));
                steps.add(picked.steps()[i]);
            }
            assertThat(steps).isSorted().doesNotHaveDuplicates();
            assertThat(new EvenPointPicker(chunks).pick(List.of(1L), k).get(1L).steps()).isEqualTo(picked.steps());
        }
    }

    @Test
    void spacesThePicksEvenlyByPosition() {
        ChunkPoints picked = new EvenPointPicker(chunks).pick(List.of(1L), 4).get(1L);
        // positions 0, 333, 666, 999 of the series
        assertThat(picked.steps()).containsExactly(5, 3L * 333 + 5, 3L * 666 + 5, 3L * 999 + 5);
    }

    @Test
    void opensOnlyTheChunksHoldingAPick() {
        chunks.opened = 0;
        new EvenPointPicker(chunks).pick(List.of(1L), 3);
        assertThat(chunks.opened).isEqualTo(3);
    }

    @Test
    void givesEveryPointWhenThereAreNoMoreThanKAndNoneForZero() {
        Map<Long, ChunkPoints> all = new EvenPointPicker(chunks).pick(List.of(1L, 2L), POINTS);
        assertThat(all.get(1L).size()).isEqualTo(POINTS);
        assertThat(all.get(2L).steps()).containsExactly(4, 9);
        assertThat(new EvenPointPicker(chunks).pick(List.of(1L, 2L), 5000).get(1L).size()).isEqualTo(POINTS);
        assertThat(new EvenPointPicker(chunks).pick(List.of(1L, 2L), 0).values())
                .allSatisfy(points -> assertThat(points.size()).isZero());
    }
}
