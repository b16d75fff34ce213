package dev.athanor.archive.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks that a file about to be uploaded is what the caller expects, so a store never publishes
 * bytes that differ from the ones the catalog will record.
 */
public final class SourceCheck {

    private SourceCheck() {
    }

    public static Crc32c.Digest verify(Path source, long expectedSize, long expectedCrc32c, String key) throws IOException {
        Crc32c.Digest actual = Crc32c.of(source);
        mismatch(actual, expectedSize, expectedCrc32c, source + " (for " + key + ")");
        return actual;
    }

    /** Throws CHECKSUM_MISMATCH naming where, when the digest differs from what was expected. */
    public static void mismatch(Crc32c.Digest actual, long expectedSize, long expectedCrc32c, String where)
            throws StoreException {
        if (actual.size() != expectedSize || actual.crc32c() != expectedCrc32c) {
            throw new StoreException(StoreException.Reason.CHECKSUM_MISMATCH,
                    "%s: expected %s but found %s".formatted(where, new Crc32c.Digest(expectedSize, expectedCrc32c), actual));
        }
    }
}
