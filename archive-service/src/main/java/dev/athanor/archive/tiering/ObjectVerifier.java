package dev.athanor.archive.tiering;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Confirms that an object in the store holds exactly the expected bytes: its size from the store,
 * and its CRC32C either as the store computed it or by reading the object back.
 */
public final class ObjectVerifier {

    /** How a verification was done, for logs and tests. */
    public enum Method { STORE_CHECKSUM, READ_BACK }

    private final ObjectStore store;
    private final VerifyMode mode;

    public ObjectVerifier(ObjectStore store, VerifyMode mode) {
        this.store = store;
        this.mode = mode;
    }

    /** Returns how it was verified, or throws CHECKSUM_MISMATCH / NOT_FOUND naming the object. */
    public Method verify(String key, long expectedSize, long expectedCrc32c) throws StoreException {
        ObjectInfo info = store.head(key).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                "verifying " + key + ": the object is not in " + store.location()));
        Crc32c.Digest expected = new Crc32c.Digest(expectedSize, expectedCrc32c);
        if (info.size() != expectedSize) {
            throw new StoreException(StoreException.Reason.CHECKSUM_MISMATCH,
                    "verifying %s in %s: the store holds %d bytes, expected %s".formatted(key, store.location(),
                            info.size(), expected));
        }
        if (mode == VerifyMode.AUTO && info.crc32c().isPresent()) {
            if (info.crc32c().getAsLong() != expectedCrc32c) {
                throw new StoreException(StoreException.Reason.CHECKSUM_MISMATCH,
                        "verifying %s in %s: the store reports crc32c %s, expected %s".formatted(key, store.location(),
                                Crc32c.hex(info.crc32c().getAsLong()), expected));
            }
            return Method.STORE_CHECKSUM;
        }
        Crc32c.Digest actual;
        try (InputStream in = store.get(key)) {
            actual = Crc32c.of(in);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE,
                    "verifying " + key + " in " + store.location() + ": reading it back failed: " + e, e);
        }
        if (!actual.equals(expected)) {
            throw new StoreException(StoreException.Reason.CHECKSUM_MISMATCH,
                    "verifying %s in %s: read back %s, expected %s".formatted(key, store.location(), actual, expected));
        }
        return Method.READ_BACK;
    }
}
