package dev.athanor.ingest.assets;

/** Another stream is uploading the same asset right now (ABORTED: retry after a while). */
public final class AssetBusyException extends RuntimeException {

    public AssetBusyException(String message) {
        super(message);
    }
}
