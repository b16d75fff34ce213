package dev.athanor.uploader.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InflightWindowTest {

    private static SentBatch batch(long id) {
        return new SentBatch(id, "run\0file", id * 100, id * 100 + 100, 1, 84);
    }

    @Test
    void boundsOutstandingBatchesAndMatchesAcksById() {
        InflightWindow window = new InflightWindow(2);
        window.sent(batch(1), 0);
        assertThat(window.hasRoom()).isTrue();
        window.sent(batch(2), 0);
        assertThat(window.hasRoom()).isFalse();

        assertThat(window.acked(99, 0)).as("an ack of an abandoned stream").isNull();
        assertThat(window.acked(1, 0)).isEqualTo(batch(1));
        assertThat(window.hasRoom()).isTrue();
    }

    @Test
    void stallsOnlyWhileBatchesWaitLongerThanTheTimeout() {
        InflightWindow window = new InflightWindow(4);
        assertThat(window.stalled(1_000, 10)).isFalse();
        window.sent(batch(1), 100);
        window.sent(batch(2), 105);
        assertThat(window.stalled(110, 10)).isFalse();
        assertThat(window.stalled(111, 10)).isTrue();
        window.acked(1, 111);
        assertThat(window.stalled(120, 10)).as("an ack restarts the clock").isFalse();
        window.clear();
        assertThat(window.stalled(10_000, 10)).isFalse();
    }
}
