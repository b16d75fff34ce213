package dev.athanor.uploader.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.ingest.v1.UploadLimits;
import org.junit.jupiter.api.Test;

class EffectiveLimitsTest {

    @Test
    void theSmallerOfServerAndClientWins() {
        EffectiveLimits limits = EffectiveLimits.of(UploadLimits.newBuilder().setMaxMessageBytes(8 << 20)
                .setMaxRecordBytes(2 << 20).setMaxBatchBytes(1 << 20).setMaxInflightBatches(32)
                .setMaxBytesPerSecond(5000).build(), 512 << 10, 4, 10_000);
        assertThat(limits).isEqualTo(new EffectiveLimits(8 << 20, 2 << 20, 512 << 10, 4, 5000));
    }

    @Test
    void unsetServerLimitsFallBackToSafeDefaults() {
        EffectiveLimits limits = EffectiveLimits.of(UploadLimits.getDefaultInstance(), 0, 0, 0);
        assertThat(limits.maxMessageBytes()).isEqualTo(EffectiveLimits.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(limits.maxBatchBytes()).isEqualTo(1 << 20);
        assertThat(limits.maxInflightBatches()).isEqualTo(8);
        assertThat(limits.maxBytesPerSecond()).isZero();
    }

    @Test
    void aRecordAndABatchAlwaysFitInOneMessage() {
        EffectiveLimits limits = EffectiveLimits.of(UploadLimits.newBuilder().setMaxMessageBytes(64 << 10)
                .setMaxRecordBytes(1 << 20).setMaxBatchBytes(1 << 20).build(), 4 << 20, 16, 0);
        assertThat(limits.maxRecordBytes() + EffectiveLimits.ENVELOPE_RESERVE).isLessThanOrEqualTo(64 << 10);
        assertThat(limits.maxBatchBytes() + EffectiveLimits.ENVELOPE_RESERVE).isLessThanOrEqualTo(64 << 10);
    }
}
