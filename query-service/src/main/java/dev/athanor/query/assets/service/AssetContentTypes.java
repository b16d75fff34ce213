package dev.athanor.query.assets.service;

import java.util.Locale;

/**
 * The media type of an asset file by its name. Compressed traces are served as the gzip files
 * they are (not with Content-Encoding), so a download saves exactly the stored bytes.
 */
public final class AssetContentTypes {

    private AssetContentTypes() {
    }

    public static String of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            return "application/gzip";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".pb")) {
            return "application/x-protobuf";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        if (name.endsWith(".txt") || name.endsWith(".tsv")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
