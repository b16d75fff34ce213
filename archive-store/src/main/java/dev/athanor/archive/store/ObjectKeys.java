package dev.athanor.archive.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Object keys are relative '/'-separated paths. Every backend refuses anything else, so a key can
 * never reach outside its bucket or root (and the same key is valid on every backend).
 */
public final class ObjectKeys {

    /** S3 and GCS both allow 1024 bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {
    }

    /** Returns the key when it is safe, else throws naming what is wrong. */
    public static String check(String key) throws StoreException {
        String problem = problem(key);
        if (problem != null) {
            throw new StoreException(StoreException.Reason.INVALID_KEY, "invalid object key '" + printable(key) + "': " + problem);
        }
        return key;
    }

    /** Why a key is unsafe, or null when it is fine. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "longer than " + MAX_KEY_BYTES + " bytes";
        }
        if (key.startsWith("/")) {
            return "absolute (starts with '/')";
        }
        if (key.endsWith("/")) {
            return "ends with '/' (names a folder, not an object)";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character at index " + i;
            }
            if (c == '\\') {
                return "backslash at index " + i;
            }
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty()) {
                return "empty path segment ('//')";
            }
            if (part.equals(".") || part.equals("..")) {
                return "path segment '" + part + "'";
            }
        }
        return null;
    }

    /** A prefix for listing: empty, or a key-like string (it may end with '/'). */
    /** The {@code scheme://bucket/key} URI of an object in a bucket store (s3, gs). */
    public static URI bucketUri(String scheme, String bucket, String key) throws StoreException {
        check(key);
        try {
            return new URI(scheme, bucket, "/" + key, null);
        } catch (URISyntaxException e) {
            throw new StoreException(StoreException.Reason.INVALID_KEY, "object key '" + key + "' makes no URI", e);
        }
    }

    public static String checkPrefix(String prefix) throws StoreException {
        if (prefix.isEmpty()) {
            return prefix;
        }
        String asKey = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        String problem = problem(asKey);
        if (problem != null) {
            throw new StoreException(StoreException.Reason.INVALID_KEY, "invalid prefix '" + printable(prefix) + "': " + problem);
        }
        return prefix;
    }

    /** The string with control characters escaped (and cut at 200 code points), for messages. */
    public static String printable(String key) {
        if (key == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        key.codePoints().limit(200).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
