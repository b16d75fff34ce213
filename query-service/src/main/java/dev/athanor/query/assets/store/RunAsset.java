package dev.athanor.query.assets.store;

import java.time.Instant;

/**
 * A stored asset file of a run (a row of {@code run_asset} in state COMPLETE).
 *
 * @param path         relative to the run directory, e.g. {@code plugins/profile/<session>/host.xplane.pb}
 * @param relativePath the file under the hot root
 * @param sha256       lowercase hex
 */
public record RunAsset(long runId, String path, String relativePath, long size, String sha256, Instant completedAt) {
}
