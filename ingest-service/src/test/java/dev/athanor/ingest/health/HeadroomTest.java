package dev.athanor.ingest.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadroomTest {

    private static final long MIN_FREE = 256L << 20;

    @Test
    void roomOnDiskAndFilesLeftIsNoShortage() {
        assertThat(new Headroom(10L << 30, 100, 20_000).shortages(MIN_FREE, 0.9)).isEmpty();
    }

    @Test
    void aNearlyFullDiskIsNamedWithTheSetting() {
        assertThat(new Headroom(4096, 100, 20_000).shortages(MIN_FREE, 0.9)).singleElement().asString()
                .contains("4096 bytes free").contains("athanor.ingest.health.min-free-bytes");
    }

    @Test
    void filesCloseToTheLimitAreAShortageAndBothReasonsAreGiven() {
        assertThat(new Headroom(4096, 19_000, 20_000).shortages(MIN_FREE, 0.9)).hasSize(2)
                .last().asString().contains("19000 of the 20000 files");
        assertThat(new Headroom(10L << 30, 17_999, 20_000).shortages(MIN_FREE, 0.9)).isEmpty();
    }

    @Test
    void anUnknownDescriptorCountIsNotAShortage() {
        assertThat(new Headroom(10L << 30, -1, -1).shortages(MIN_FREE, 0.9)).isEmpty();
    }
}
