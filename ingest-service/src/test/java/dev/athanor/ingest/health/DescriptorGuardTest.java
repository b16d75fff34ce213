package dev.athanor.ingest.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DescriptorGuardTest {

    @Test
    void refusesNewWorkAboveTheShareNamingTheCountAndAcceptsBelowIt() throws Exception {
        AtomicLong open = new AtomicLong(900);
        DescriptorGuard guard = new DescriptorGuard(0.9, open::get, () -> 1000);
        guard.requireRoomFor("a new upload stream");

        open.set(901);
        Thread.sleep(150); // past the re-measure interval
        assertThatThrownBy(() -> guard.requireRoomFor("run train of experiment 3"))
                .isInstanceOf(OutOfDescriptorsException.class)
                .hasMessageContaining("run train of experiment 3 is refused for now")
                .hasMessageContaining("901 of the 1000 files this process may open are open")
                .hasMessageContaining("retry later");

        open.set(100);
        Thread.sleep(150);
        guard.requireRoomFor("a new upload stream");
    }

    @Test
    void anUnknownCountOrLimitRefusesNothing() {
        new DescriptorGuard(0.9, () -> -1, () -> 1000).requireRoomFor("x");
        new DescriptorGuard(0.9, () -> 5000, () -> -1).requireRoomFor("x");
        assertThat(Headroom.descriptorShortage(-1, 1000, 0.9)).isEmpty();
    }
}
