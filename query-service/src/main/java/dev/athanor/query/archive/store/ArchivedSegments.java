package dev.athanor.query.archive.store;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StoreException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.rawlog.ArchivedCopies;
import dev.athanor.rawlog.ArchivedSegmentSource;
import dev.athanor.rawlog.CorruptFrameException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Archived raw segments as the catalog knows them: the only place it looks is the segment's
 * VERIFIED copy in this service's store (archive_object), never a bucket listing. Frames are read
 * by raw-log's {@link ArchivedSegmentSource}; a copy in a class that needs a restore starts one
 * (through {@link Restores}) and the read fails with {@link RestoringException}, which the API
 * reports with a status URL.
 */
public final class ArchivedSegments implements ArchivedCopies {

    /** The verified copy of a segment in the configured store. */
    public record ArchivedCopy(long objectId, long segmentId, long runId, String key, String tier, long size) {
    }

    private static final String COPY_COLUMNS = "o.id, o.segment_id, o.run_id, o.object_key, o.tier, o.size_bytes";

    private final Jdbc jdbc;
    private final Supplier<ObjectStore> store;
    private final String storeName;
    private final Restores restores;
    private final ArchivedSegmentSource frames;

    public ArchivedSegments(Jdbc jdbc, Supplier<ObjectStore> store, String storeName, Restores restores) {
        this.jdbc = jdbc;
        this.store = store;
        this.storeName = storeName;
        this.restores = restores;
        this.frames = new ArchivedSegmentSource(store, this);
    }

    public Optional<ArchivedCopy> copyOf(long segmentId) {
        return copy(SqlFragment.of("SELECT " + COPY_COLUMNS + " FROM archive_object o"
                + " WHERE o.segment_id = ? AND o.store = ? AND o.state = 'VERIFIED'", segmentId, storeName));
    }

    /** The copy of the segment at {@code relativePath} (raw_segment.relative_path is unique). */
    public Optional<ArchivedCopy> copyAt(String relativePath) {
        return copy(SqlFragment.of("SELECT " + COPY_COLUMNS + " FROM archive_object o"
                + " JOIN raw_segment g ON g.id = o.segment_id"
                + " WHERE g.relative_path = ? AND o.store = ? AND o.state = 'VERIFIED'", relativePath, storeName));
    }

    private Optional<ArchivedCopy> copy(SqlFragment query) {
        return jdbc.one(query, rs -> new ArchivedCopy(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getLong(6)));
    }

    /**
     * The payload of the record framed at {@code offset} of the segment's archived copy, verified.
     *
     * @throws CorruptFrameException       when the copy does not hold that frame
     * @throws RawDataUnavailableException when there is no copy or the store cannot be read
     * @throws RestoringException          when the copy needs a restore (one was started)
     */
    public byte[] readFrameAt(String relativePath, long offset, int length) throws CorruptFrameException {
        try {
            return frames.readFrameAt(relativePath, offset, length);
        } catch (CorruptFrameException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new RawDataUnavailableException("raw segment " + relativePath + " is not in hot storage and has no"
                    + " verified archived copy in store '" + storeName + "'");
        } catch (StoreException e) {
            ArchivedCopy copy = copyAt(relativePath).orElseThrow(() -> unavailable(relativePath, e.getMessage()));
            if (e.reason() == StoreException.Reason.NEEDS_RESTORE) {
                throw new RestoringException(restores.start(copy, Readability.NEEDS_RESTORE));
            }
            throw unavailable(relativePath, "its archived copy " + copy.key() + " in store '" + storeName
                    + "' cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw unavailable(relativePath, "reading its archived copy failed: " + e.getMessage());
        }
    }

    /** For {@link ArchivedSegmentSource}: the copy to read, once it is readable now. */
    @Override
    public Copy readable(String relativePath) throws IOException {
        ArchivedCopy copy = copyAt(relativePath).orElseThrow(() -> new NoSuchFileException(relativePath));
        if ("COLD".equals(copy.tier())) {
            Readability readability = store.get().readability(copy.key());
            if (!readability.readable()) {
                throw new RestoringException(restores.start(copy, readability));
            }
        }
        return new Copy(copy.key(), copy.size());
    }

    private static RawDataUnavailableException unavailable(String relativePath, String why) {
        return new RawDataUnavailableException("raw segment " + relativePath + ": " + why);
    }
}
