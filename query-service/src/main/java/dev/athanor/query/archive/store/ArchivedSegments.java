package dev.athanor.query.archive.store;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StoreException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads byte ranges of archived raw segments. The catalog is the only place it looks: the
 * segment's VERIFIED copy in this service's store (archive_object), never a bucket listing. A copy
 * in a class that needs a restore starts one (through {@link Restores}) and the read fails with
 * {@link RestoringException}, which the API reports with a status URL.
 */
public final class ArchivedSegments {

    /** The verified copy of a segment in the configured store. */
    public record ArchivedCopy(long objectId, long segmentId, long runId, String key, String tier, long size) {
    }

    private final Jdbc jdbc;
    private final Supplier<ObjectStore> store;
    private final String storeName;
    private final Restores restores;

    public ArchivedSegments(Jdbc jdbc, Supplier<ObjectStore> store, String storeName, Restores restores) {
        this.jdbc = jdbc;
        this.store = store;
        this.storeName = storeName;
        this.restores = restores;
    }

    public Optional<ArchivedCopy> copyOf(long segmentId) {
        return jdbc.one(SqlFragment.of("""
                SELECT id, segment_id, run_id, object_key, tier, size_bytes FROM archive_object
                WHERE segment_id = ? AND store = ? AND state = 'VERIFIED'""", segmentId, storeName),
                rs -> new ArchivedCopy(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6)));
    }

    /**
     * Bytes {@code [offset, offset + length)} of the segment's archived copy (fewer when the copy
     * ends first; the caller's frame check reports that).
     */
    public byte[] read(long segmentId, String relativePath, long offset, int length) {
        ArchivedCopy copy = copyOf(segmentId).orElseThrow(() -> new RawDataUnavailableException("raw segment "
                + relativePath + " is not in hot storage and has no verified archived copy in store '" + storeName + "'"));
        ObjectStore objects = store.get();
        try {
            if ("COLD".equals(copy.tier())) {
                Readability readability = objects.readability(copy.key());
                if (!readability.readable()) {
                    throw new RestoringException(restores.start(copy, readability));
                }
            }
            if (offset >= copy.size()) {
                return new byte[0];
            }
            try (InputStream in = objects.getRange(copy.key(), offset, length)) {
                return in.readNBytes(length);
            }
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NEEDS_RESTORE) {
                throw new RestoringException(restores.start(copy, Readability.NEEDS_RESTORE));
            }
            throw new RawDataUnavailableException("raw segment " + relativePath + ": its archived copy "
                    + copy.key() + " in store '" + storeName + "' cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new RawDataUnavailableException("raw segment " + relativePath + ": reading its archived copy "
                    + copy.key() + " failed: " + e.getMessage());
        }
    }
}
