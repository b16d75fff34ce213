package dev.athanor.ingest.assets;

import java.util.HexFormat;

/** What a file holds, as far as identity goes: its size and SHA-256 (lowercase hex). */
public record AssetContent(long size, String sha256) {

    public static AssetContent of(long size, byte[] sha256) {
        return new AssetContent(size, HexFormat.of().formatHex(sha256));
    }

    public byte[] sha256Bytes() {
        return HexFormat.of().parseHex(sha256);
    }

    @Override
    public String toString() {
        return size + " bytes, sha256 " + sha256;
    }
}
