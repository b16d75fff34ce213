package dev.athanor.uploader.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.uploader.discovery.DiscoveredAsset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssetTrackerTest {

    private static final long QUIET = 5_000;

    private static DiscoveredAsset trace(long size, long modified) {
        return new DiscoveredAsset("train", "plugins/profile/s1/host.xplane.pb", Path.of("/l/train/plugins/profile/s1/host.xplane.pb"),
                size, modified);
    }

    @Test
    void aFileIsCompleteWhenUnchangedOverTwoScansAndQuietLongEnough() {
        AssetTracker tracker = new AssetTracker(QUIET);
        tracker.apply(List.of(trace(100, 1_000)), 10_000);
        assertThat(tracker.nextReady(0)).as("seen once").isNull();
        tracker.apply(List.of(trace(100, 1_000)), 11_000);
        assertThat(tracker.nextReady(0)).isNotNull();
        assertThat(tracker.nextReady(Long.MIN_VALUE + 5)).as("System.nanoTime() may be negative").isNotNull();
        assertThat(tracker.settled()).isFalse();
    }

    @Test
    void aFileStillGrowingOrRecentlyModifiedWaits() {
        AssetTracker tracker = new AssetTracker(QUIET);
        tracker.apply(List.of(trace(100, 1_000)), 2_000);
        tracker.apply(List.of(trace(200, 2_500)), 3_000);
        assertThat(tracker.nextReady(0)).as("grew").isNull();
        tracker.apply(List.of(trace(200, 2_500)), 4_000);
        assertThat(tracker.nextReady(0)).as("stable, but modified 1.5 s ago").isNull();
        tracker.apply(List.of(trace(200, 2_500)), 7_500);
        assertThat(tracker.nextReady(0)).as("quiet for 5 s").isNotNull();
    }

    @Test
    void theEndOfTrainingMakesEveryFileComplete() {
        AssetTracker tracker = new AssetTracker(QUIET);
        tracker.apply(List.of(trace(100, 1_000)), 1_000);
        tracker.markAllComplete();
        assertThat(tracker.nextReady(0)).isNotNull();
    }

    @Test
    void aFileThatChangesAfterUploadIsOfferedAgainAndOneThatChangesWhileSentWaits() {
        AssetTracker tracker = new AssetTracker(QUIET);
        tracker.apply(List.of(trace(100, 1_000)), 10_000);
        tracker.apply(List.of(trace(100, 1_000)), 11_000);
        AssetTracker.Tracked t = tracker.nextReady(0);
        tracker.sending(t);
        tracker.apply(List.of(trace(150, 11_500)), 12_000);
        tracker.done(t);
        assertThat(t.state()).isEqualTo(AssetTracker.State.WAITING);
        assertThat(tracker.settled()).isFalse();
        tracker.apply(List.of(trace(150, 11_500)), 20_000);
        tracker.sending(tracker.nextReady(0));
        tracker.done(t);
        assertThat(t.state()).isEqualTo(AssetTracker.State.DONE);
        assertThat(tracker.settled()).isTrue();
        assertThat(tracker.uploaded()).isEqualTo(2);
    }

    @Test
    void aFileThatVanishesBeforeItIsCompleteIsForgotten() {
        AssetTracker tracker = new AssetTracker(QUIET);
        tracker.apply(List.of(trace(100, 1_000)), 1_000);
        tracker.apply(List.of(), 2_000);
        assertThat(tracker.count()).isZero();
        assertThat(tracker.settled()).isTrue();
    }

    @Test
    void aRetryWaitsItsDelay() {
        AssetTracker tracker = new AssetTracker(0);
        tracker.apply(List.of(trace(100, 1_000)), 10_000);
        tracker.apply(List.of(trace(100, 1_000)), 10_001);
        AssetTracker.Tracked t = tracker.nextReady(0);
        tracker.sending(t);
        tracker.retryLater(t, 1_000, 500, true);
        assertThat(tracker.nextReady(1_400)).isNull();
        assertThat(tracker.nextReady(1_500)).isSameAs(t);
        assertThat(t.failures()).isEqualTo(1);
    }
}
