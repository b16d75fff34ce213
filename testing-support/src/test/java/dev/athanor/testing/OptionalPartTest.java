package dev.athanor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class OptionalPartTest {

    private final String before = System.getProperty(OptionalPart.REQUIRE_PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(OptionalPart.REQUIRE_PROPERTY);
        } else {
            System.setProperty(OptionalPart.REQUIRE_PROPERTY, before);
        }
    }

    @Test
    void anAbsentPartSkipsWithItsMessageWhenNotRequired() {
        System.setProperty(OptionalPart.REQUIRE_PROPERTY, "nginx");
        assertThatThrownBy(() -> OptionalPart.CHROMIUM.assumePresent(false, "apt-get install chromium"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install chromium");
    }

    @Test
    void anAbsentRequiredPartFailsNamingTheSetting() {
        System.setProperty(OptionalPart.REQUIRE_PROPERTY, "fixtures, Chromium");
        assertThatThrownBy(() -> OptionalPart.CHROMIUM.assumePresent(false, "no /usr/bin/chromium"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("chromium is required here")
                .hasMessageContaining("athanor.require=fixtures, Chromium")
                .hasMessageContaining("no /usr/bin/chromium");
    }

    @Test
    void aPresentPartNeitherSkipsNorFails() {
        System.setProperty(OptionalPart.REQUIRE_PROPERTY, "podman");
        OptionalPart.PODMAN.assumePresent(true, () -> {
            throw new AssertionError("the message of a present part is never built");
        });
        assertThat(OptionalPart.PODMAN.isRequired()).isTrue();
        assertThat(OptionalPart.TORCH.isRequired()).isFalse();
    }

    @Test
    void anUnknownNameIsRefusedSoATypoCannotTurnACheckOff() {
        assertThatThrownBy(() -> OptionalPart.parse("chromium,tensorbord"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tensorbord'")
                .hasMessageContaining("tensorboard");
        assertThat(OptionalPart.parse(" , ")).isEmpty();
    }
}
