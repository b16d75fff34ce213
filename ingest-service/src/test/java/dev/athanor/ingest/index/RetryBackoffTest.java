package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void aRunFailingAgainWaitsTwiceAsLongUpToTheBound() {
        assertThat(backoff.failed(7)).isEqualTo(200);
        assertThat(backoff.failed(7)).isEqualTo(400);
        assertThat(backoff.failed(7)).isEqualTo(800);
        assertThat(backoff.failed(7)).isEqualTo(1000);
        assertThat(backoff.failed(7)).isEqualTo(1000);
    }

    @Test
    void eachRunHasItsOwnBackoffAndASuccessResetsIt() {
        backoff.failed(7);
        backoff.failed(7);
        assertThat(backoff.failed(8)).as("another run's failures do not lengthen this one's wait").isEqualTo(200);
        backoff.reset(7);
        assertThat(backoff.failed(7)).isEqualTo(200);
        assertThat(backoff.failed(8)).isEqualTo(400);
    }

    @Test
    void delaysThatCannotBackOffAreRefusedNamingTheSettings() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("athanor.ingest.index.retry-delay");
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("athanor.ingest.index.max-retry-delay (PT1S)");
    }
}
