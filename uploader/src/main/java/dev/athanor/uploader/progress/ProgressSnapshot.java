package dev.athanor.uploader.progress;

/**
 * What the uploader has done so far, for the progress line and log lines.
 *
 * @param state            a few words: connecting, uploading, waiting for data, draining, reconnecting
 * @param runs             runs found
 * @param files            event files found
 * @param bytesAcked       file bytes acknowledged in this upload
 * @param recordsAcked     records acknowledged in this upload
 * @param pendingBytes     bytes on disk not yet acknowledged
 * @param bytesPerSecond   acknowledged bytes per second over the last few seconds
 * @param reconnects       streams re-established after failures
 * @param problems         data problems found
 */
public record ProgressSnapshot(String state, int runs, int files, long bytesAcked, long recordsAcked,
                               long pendingBytes, double bytesPerSecond, int reconnects, int problems) {
}
