package dev.athanor.archive.tiering;

import java.time.Duration;
import java.util.Optional;

/**
 * How the tiering loop behaves.
 *
 * @param batchSize      segments (and objects) handled per pass and step
 * @param minSealedAge   a sealed segment waits this long before it is copied
 * @param deleteHot      remove hot files once their copy is verified (runs that are not RUNNING)
 * @param keepHotFor     keep a hot file this long after its copy was verified
 * @param coldAfter      move copies of runs that ended this long ago to the cold tier; empty: never
 * @param verifyMode     how a copy's checksum is confirmed
 * @param segmentBackoff wait between attempts at one segment
 * @param passBackoff    wait between passes after a whole pass failed (store or database down)
 */
public record TieringSettings(int batchSize, Duration minSealedAge, boolean deleteHot, Duration keepHotFor,
                              Optional<Duration> coldAfter, VerifyMode verifyMode, Backoff segmentBackoff,
                              Backoff passBackoff) {
}
