package dev.athanor.ingest.assets;

/**
 * Where an asset upload stands.
 *
 * @param complete        the whole file is stored and verified
 * @param committedOffset bytes kept so far; the next chunk starts here (the size when complete)
 * @param content         the declared (or, when complete, stored) size and SHA-256
 */
public record AssetProgress(boolean complete, long committedOffset, AssetContent content) {
}
