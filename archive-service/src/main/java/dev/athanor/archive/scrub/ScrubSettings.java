package dev.athanor.archive.scrub;

import dev.athanor.archive.tiering.VerifyMode;
import java.time.Duration;

/**
 * How the scrub behaves.
 *
 * @param every       a copy is checked again once its last check (or verification) is this old
 * @param batchObjects at most this many copies per scrub step
 * @param batchBytes  a step stops after reading this many bytes (the copy that crosses it is finished)
 * @param verifyMode  READ_BACK (the default) reads every byte; AUTO trusts a CRC32C the store reports
 */
public record ScrubSettings(Duration every, int batchObjects, long batchBytes, VerifyMode verifyMode) {
}
