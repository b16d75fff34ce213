package dev.athanor.ingest.assets;

/**
 * A row of {@code run_asset}.
 *
 * @param complete true once the file is verified and stored at its final path
 */
public record StoredAsset(long id, AssetContent content, boolean complete) {
}
