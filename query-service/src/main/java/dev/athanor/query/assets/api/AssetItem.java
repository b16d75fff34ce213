package dev.athanor.query.assets.api;

/**
 * One asset in a listing: the shape the web UI reads.
 *
 * @param path        relative to the run directory, e.g. {@code plugins/profile/<session>/host.xplane.pb}
 * @param size        bytes
 * @param sha256      lowercase hex of the file's SHA-256
 * @param downloadUrl where the bytes are served (relative to the server)
 */
public record AssetItem(String path, long size, String sha256, String downloadUrl) {
}
