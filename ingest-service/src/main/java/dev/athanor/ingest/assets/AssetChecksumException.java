package dev.athanor.ingest.assets;

/** The received bytes do not match the declared checksum (DATA_LOSS: the client should send them again). */
public final class AssetChecksumException extends RuntimeException {

    public AssetChecksumException(String message) {
        super(message);
    }
}
