package dev.athanor.index.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PointRowsTest {

    @Test
    void discardDropsRowsGatheredForATransactionThatNeverCopied() {
        PointRows rows = new PointRows();
        assertThat(rows.isEmpty()).isTrue();
        rows.addTensor(1, 2, 3.0, 1, new long[] {2}, new byte[] {1, 2});
        rows.addBlob(1, 2, 3.0, 4, 5, 6, new int[] {7});
        assertThat(rows.isEmpty()).isFalse();
        rows.discard();
        assertThat(rows.isEmpty()).isTrue();
    }
}
