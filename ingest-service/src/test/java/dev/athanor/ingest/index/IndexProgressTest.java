package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexProgressTest {

    private static final long S = 1_000_000_000L;
    private static final Duration AFTER = Duration.ofSeconds(60);

    @Test
    void aRunFailingLongerThanTheBoundIsAStallUntilItsNextSuccess() {
        IndexProgress progress = new IndexProgress();
        assertThat(progress.stall(0, AFTER)).isEmpty();
        progress.failed(7, "08001 connection refused", 0);
        progress.failed(7, "08006 connection lost", 30 * S);
        progress.failed(9, "08001 connection refused", 40 * S);
        assertThat(progress.stall(60 * S, AFTER)).as("at the bound").isEmpty();

        assertThat(progress.stall(61 * S, AFTER)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("run 7 for 61 s (2 attempts; 1 more runs failing)", "longer than 60 s",
                        "last failure: 08006 connection lost"));

        progress.succeeded(7);
        assertThat(progress.stall(61 * S, AFTER)).as("run 9 fails for 21 s only").isEmpty();
        assertThat(progress.stall(101 * S, AFTER)).hasValueSatisfying(reason -> assertThat(reason).contains("run 9"));
        progress.forget(9);
        assertThat(progress.stall(200 * S, AFTER)).isEmpty();
    }
}
