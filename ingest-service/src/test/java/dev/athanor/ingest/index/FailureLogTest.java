package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureLogTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRepeatedFailureIsLoggedOnceAMinuteWithItsCount() {
        FailureLog log = new FailureLog();
        assertThat(log.line(1, "down", 0)).isEqualTo("down");
        assertThat(log.line(1, "down", 5 * SECOND)).isNull();
        assertThat(log.line(1, "down", 10 * SECOND)).isNull();
        assertThat(log.line(2, "down", 10 * SECOND)).as("another run").isEqualTo("down");
        assertThat(log.line(1, "down", 61 * SECOND)).isEqualTo("down (repeated 2 times since the last report)");
    }

    @Test
    void aNewFailureOrARecoveryIsLoggedAtOnce() {
        FailureLog log = new FailureLog();
        log.line(1, "down", 0);
        assertThat(log.line(1, "refused", SECOND)).isEqualTo("refused");
        log.succeeded(1);
        assertThat(log.line(1, "refused", 2 * SECOND)).isEqualTo("refused");
    }
}
