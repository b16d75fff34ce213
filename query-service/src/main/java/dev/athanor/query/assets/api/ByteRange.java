package dev.athanor.query.assets.api;

import java.util.Optional;

/**
 * A single byte range of an HTTP Range header ({@code bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}), resolved against the file size. Several ranges, other units and malformed
 * headers are ignored (the whole file is served, as RFC 9110 allows).
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
public record ByteRange(long first, long last) {

    /** The header asked for bytes entirely past the end of the file (416). */
    public static final class Unsatisfiable extends Exception {
        public Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    public long length() {
        return last - first + 1;
    }

    public static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    throw new Unsatisfiable();
                }
                return size == 0 ? Optional.empty() : Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            if (first >= size) {
                throw new Unsatisfiable();
            }
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (first < 0 || last < first) {
                return Optional.empty();
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
