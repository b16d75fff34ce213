package dev.athanor.archive.store;

import java.io.Closeable;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The few object-store operations archiving needs. Keys are relative '/'-separated paths checked
 * by {@link ObjectKeys}; every implementation passes the same contract-test suite.
 */
public interface ObjectStore extends Closeable {

    /** Where objects live, for messages and catalog rows: {@code s3://bucket}, {@code gs://bucket}, {@code file:///root}. */
    String location();

    /** The address of one object, as the catalog records it. */
    URI uri(String key) throws StoreException;

    /**
     * Fails with a clear error when the bucket (or root) is missing or the credentials cannot use
     * it; a cheap call, made before any work that could half-succeed.
     */
    void checkAccess() throws StoreException;

    /**
     * Stores {@code source} under {@code key} in {@code tier}, replacing what was there. The
     * source must have exactly {@code expectedSize} bytes with CRC32C {@code expectedCrc32c};
     * otherwise nothing becomes visible under the key and CHECKSUM_MISMATCH is thrown. The
     * object is never visible half-written.
     */
    ObjectInfo put(String key, Path source, long expectedSize, long expectedCrc32c, StorageTier tier)
            throws StoreException;

    /** The whole object; NOT_FOUND when missing. */
    InputStream get(String key) throws StoreException;

    /**
     * Bytes {@code [offset, offset + length)} of the object, clipped at its end.
     * {@code offset} must be inside the object.
     */
    InputStream getRange(String key, long offset, long length) throws StoreException;

    /** Size, store-side checksum (when the store keeps one) and tier; empty when missing. */
    Optional<ObjectInfo> head(String key) throws StoreException;

    /** Objects whose key starts with {@code prefix} (plain string prefix), sorted by key. */
    List<ObjectInfo> list(String prefix) throws StoreException;

    /** Removes the object; does nothing when it is already gone. */
    void delete(String key) throws StoreException;

    /** Moves the object to another storage class, keeping its bytes. */
    void setTier(String key, StorageTier tier) throws StoreException;

    /**
     * Whether the object can be read now or needs a restore first (NOT_FOUND when missing). Stores
     * whose classes are all readable at once (GCS, the filesystem store by default) answer READABLE.
     */
    default Readability readability(String key) throws StoreException {
        if (head(key).isEmpty()) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "no object " + key + " in " + location());
        }
        return Readability.READABLE;
    }

    /**
     * Starts making an archived object readable for at least {@code keepFor} and returns at once
     * (the restore itself takes minutes to hours on S3). Asking again while a restore runs, or for
     * an object that is readable, changes nothing; the answer says where it stands.
     */
    default Readability requestRestore(String key, Duration keepFor) throws StoreException {
        return readability(key);
    }

    /** A time-limited URL anyone can GET the object with, when the backend can make one. */
    Optional<URI> presignGet(String key, Duration validFor) throws StoreException;
}
