package dev.athanor.uploader.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    @Test
    void credentialsRefusalsAreNotRetried() {
        assertThat(FailureKind.of(Status.UNAUTHENTICATED)).isEqualTo(FailureKind.AUTH);
        assertThat(FailureKind.of(Status.PERMISSION_DENIED)).isEqualTo(FailureKind.AUTH);
    }

    @Test
    void requestRefusalsArePermanent() {
        assertThat(FailureKind.of(Status.INVALID_ARGUMENT)).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureKind.of(Status.UNIMPLEMENTED)).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureKind.of(Status.FAILED_PRECONDITION)).isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void outagesAreRetried() {
        assertThat(FailureKind.of(Status.UNAVAILABLE)).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(Status.DEADLINE_EXCEEDED)).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(Status.RESOURCE_EXHAUSTED)).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(Status.INTERNAL)).isEqualTo(FailureKind.TRANSIENT);
    }
}
