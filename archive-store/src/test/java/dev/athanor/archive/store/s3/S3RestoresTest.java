package dev.athanor.archive.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.store.Readability;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The x-amz-restore header and storage classes as real S3 sends them (s3proxy sends no restore header). */
class S3RestoresTest {

    @Test
    void classesThatAreReadableAtOnceNeedNoRestore() {
        assertThat(S3Restores.readability(null, null, null)).isEqualTo(Readability.READABLE);
        assertThat(S3Restores.readability("GLACIER_IR", null, null)).isEqualTo(Readability.READABLE);
        assertThat(S3Restores.readability("INTELLIGENT_TIERING", null, null)).isEqualTo(Readability.READABLE);
    }

    @Test
    void archiveClassesNeedARestoreUntilOneFinished() {
        assertThat(S3Restores.readability("GLACIER", null, null)).isEqualTo(Readability.NEEDS_RESTORE);
        assertThat(S3Restores.readability("DEEP_ARCHIVE", null, null)).isEqualTo(Readability.NEEDS_RESTORE);
        assertThat(S3Restores.readability("INTELLIGENT_TIERING", "DEEP_ARCHIVE_ACCESS", null))
                .isEqualTo(Readability.NEEDS_RESTORE);
        assertThat(S3Restores.readability("GLACIER", null, "ongoing-request=\"true\"")).isEqualTo(Readability.RESTORING);
        assertThat(S3Restores.readability("DEEP_ARCHIVE", null,
                "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\""))
                .isEqualTo(Readability.restoredUntil(Instant.parse("2012-12-21T00:00:00Z")));
    }
}
