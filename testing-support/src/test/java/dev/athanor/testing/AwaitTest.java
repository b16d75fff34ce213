package dev.athanor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        Await.until("the third look", Duration.ofSeconds(10), Duration.ofMillis(1), () -> looks.incrementAndGet() >= 3);
        assertThat(looks).hasValue(3);
    }

    @Test
    void aTimeoutFailsNamingWhatWasAwaited() {
        assertThatThrownBy(() -> Await.until("the moon to turn blue", Duration.ofMillis(50), Duration.ofMillis(5), () -> false))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("timed out after 50 ms waiting for the moon to turn blue");
    }

    @Test
    void theDescriptionIsMadeAtTheDeadline() {
        AtomicInteger looks = new AtomicInteger();
        assertThatThrownBy(() -> Await.until(() -> "a yes after " + looks.get() + " looks", Duration.ofMillis(30),
                Duration.ofMillis(1), () -> looks.incrementAndGet() < 0))
                .hasMessageContaining("a yes after " + looks.get() + " looks");
    }

    @Test
    void aValueIsReturnedOnceThereIsOne() throws InterruptedException {
        AtomicInteger looks = new AtomicInteger();
        String value = Await.value("a value", Duration.ofSeconds(10), Duration.ofMillis(1),
                () -> looks.incrementAndGet() < 2 ? null : "found");
        assertThat(value).isEqualTo("found");
    }

    @Test
    void aCheckedExceptionWhileLookingIsReportedNotSwallowed() {
        assertThatThrownBy(() -> Await.until("a file", Duration.ofSeconds(1), Duration.ofMillis(1), () -> {
            throw new java.io.IOException("disk gone");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("disk gone");
    }
}
