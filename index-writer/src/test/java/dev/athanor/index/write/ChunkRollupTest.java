package dev.athanor.index.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkRollupTest {

    @Test
    void minAndMaxAreOverFiniteValuesAndNonFiniteOnesAreCounted() {
        ScalarPoints p = new ScalarPoints(2);
        double[] values = {3, Double.NaN, -1, Double.POSITIVE_INFINITY, 7, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < values.length; i++) {
            p.add(i, 100 + i, values[i]);
        }
        ChunkRollup all = ChunkRollup.of(p, 0, p.size);
        assertThat(all.count()).isEqualTo(6);
        assertThat(all.min()).isEqualTo(-1);
        assertThat(all.max()).isEqualTo(7);
        assertThat(all.nanCount()).isEqualTo(1);
        assertThat(all.infCount()).isEqualTo(2);
        ChunkRollup nonFinite = ChunkRollup.of(p, 1, 2);
        assertThat(nonFinite.min()).isNull();
        assertThat(nonFinite.max()).isNull();
    }

    @Test
    void truncatingDropsPointsAtAndAfterTheRewoundStep() {
        ScalarPoints p = new ScalarPoints(1);
        for (int step = 0; step < 10; step++) {
            p.add(step, step, step);
        }
        p.truncateFrom(5);
        assertThat(p.size).isEqualTo(5);
        assertThat(p.lastStep()).isEqualTo(4);
        p.truncateFrom(-1);
        assertThat(p.isEmpty()).isTrue();
    }
}
