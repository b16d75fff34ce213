package dev.athanor.uploader.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aSendMayOverdrawAndTheNextWaitsUntilTheDebtIsRepaid() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(1000, now::get);
        assertThat(limiter.waitNanos()).isZero();

        limiter.consume(3000); // one second's burst plus 2000 bytes of debt
        assertThat(limiter.waitNanos()).isEqualTo(2_000_000_000L);

        now.addAndGet(1_500_000_000L);
        assertThat(limiter.waitNanos()).isEqualTo(500_000_000L);
        now.addAndGet(500_000_000L);
        assertThat(limiter.waitNanos()).isZero();
    }

    @Test
    void idleTimeBanksAtMostOneSecond() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(1000, now::get);
        now.addAndGet(60_000_000_000L);
        limiter.consume(2000);
        assertThat(limiter.waitNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimiter limiter = new RateLimiter(0, () -> 0);
        limiter.consume(Long.MAX_VALUE / 2);
        assertThat(limiter.waitNanos()).isZero();
    }
}
