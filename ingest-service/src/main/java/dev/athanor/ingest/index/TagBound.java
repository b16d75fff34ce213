package dev.athanor.ingest.index;

/**
 * The longest tag the index keeps as a series (UTF-8 bytes, announced as max_tag_bytes). A
 * longer tag is refused as a problem that names it by its length and a short preview: problem
 * rows and logs stay small whatever a writer put in a tag.
 */
final class TagBound {

    private static final int PREVIEW_CHARS = 64;

    private final int maxBytes;

    TagBound(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    boolean admits(String tag) {
        // A char is 1 to 3 UTF-8 bytes (a surrogate pair is 4 for 2): decide without encoding when possible.
        if (tag.length() > maxBytes) {
            return false;
        }
        return (long) tag.length() * 3 <= maxBytes || utf8Length(tag) <= maxBytes;
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The tag's first characters, control characters escaped, for a message about it. */
    static String preview(String tag) {
        StringBuilder out = new StringBuilder();
        int end = Math.min(tag.length(), PREVIEW_CHARS);
        for (int i = 0; i < end; i++) {
            char ch = tag.charAt(i);
            if (Character.isISOControl(ch)) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return tag.length() > end ? out.append('…').toString() : out.toString();
    }
}
