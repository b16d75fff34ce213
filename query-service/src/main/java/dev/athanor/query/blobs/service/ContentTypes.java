package dev.athanor.query.blobs.service;

import java.nio.charset.StandardCharsets;

/**
 * The media type of a blob, from its leading bytes (writers do not record it), falling back on
 * what the plugin stores: graphs are serialized protos, image sequences start with ASCII width and
 * height.
 */
public final class ContentTypes {

    public static final String OCTET_STREAM = "application/octet-stream";

    private ContentTypes() {
    }

    public static String of(byte[] data, String plugin) {
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'A', 'V', 'E')) {
            return "audio/wav";
        }
        if (startsWith(data, 0, 'B', 'M') && data.length > 14) {
            return "image/bmp";
        }
        if (startsWith(data, 0, 'O', 'g', 'g', 'S')) {
            return "audio/ogg";
        }
        if (startsWith(data, 0, 'f', 'L', 'a', 'C')) {
            return "audio/flac";
        }
        if (startsWith(data, 0, 'I', 'D', '3')) {
            return "audio/mpeg";
        }
        String head = new String(data, 0, Math.min(data.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
            return "image/svg+xml";
        }
        if (plugin != null && plugin.startsWith("graph")) {
            return "application/x-protobuf";
        }
        if (data.length > 0 && data.length <= 12 && new String(data, StandardCharsets.ISO_8859_1).matches("\\d+")) {
            return "text/plain; charset=us-ascii";
        }
        return OCTET_STREAM;
    }

    private static boolean startsWith(byte[] data, int at, int... prefix) {
        if (data.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[at + i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
