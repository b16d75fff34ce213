package dev.athanor.index.write;

/**
 * Text for PostgreSQL, which refuses the NUL character in {@code text} and {@code jsonb}: a NUL
 * in a tag, plugin name or hparam string (valid in a protobuf string) becomes U+FFFD. Left as is,
 * the same insert would fail on every retry and the run's indexing would never move past it.
 */
public final class PgText {

    public static final char REPLACEMENT = '\uFFFD';

    private PgText() {
    }

    public static String clean(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
    }
}
