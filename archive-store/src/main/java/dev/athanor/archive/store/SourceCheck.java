package dev.athanor.archive.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks that a file about to be uploaded is what the caller expects, so a store never publishes
 * bytes that differ from the ones the catalog will record, and that the upload is there afterwards.
 */
public final class SourceCheck {

    private SourceCheck() {
    }

    /**
     * Before a put to a remote store: the key is safe and the source file holds exactly the
     * expected bytes; an unreadable source is NOT_FOUND naming it.
     */
    public static void beforePut(String key, Path source, long expectedSize, long expectedCrc32c) throws StoreException {
        ObjectKeys.check(key);
        try {
            verify(source, expectedSize, expectedCrc32c, key);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "cannot read the source " + source + ": " + e, e);
        }
    }

    /** After a put: what the store now reports for the key, which must be there. */
    public static ObjectInfo afterPut(ObjectStore store, String key) throws StoreException {
        return store.head(key).orElseThrow(() -> new StoreException(StoreException.Reason.UNAVAILABLE,
                "uploaded " + key + " to " + store.location() + " but it is not there"));
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
