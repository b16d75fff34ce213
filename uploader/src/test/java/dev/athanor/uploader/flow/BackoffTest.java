package dev.athanor.uploader.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A "random" source that always answers the same fraction. */
    private static RandomGenerator fixed(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Test
    void doublesUpToTheCeilingBetweenHalfAndAllOfIt() {
        Backoff top = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), fixed(0.999999));
        assertThat(top.nextDelay().toMillis()).isEqualTo(99);
        assertThat(top.nextDelay().toMillis()).isEqualTo(199);
        assertThat(top.nextDelay().toMillis()).isEqualTo(399);
        assertThat(top.nextDelay().toMillis()).isEqualTo(799);
        assertThat(top.nextDelay().toMillis()).isEqualTo(999);
        assertThat(top.nextDelay().toMillis()).isEqualTo(999);

        Backoff bottom = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), fixed(0));
        assertThat(bottom.nextDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(bottom.nextDelay()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void resetStartsOver() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), fixed(0));
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.reset();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.failures()).isEqualTo(1);
    }
}
