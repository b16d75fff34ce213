package dev.athanor.rawlog;

import dev.athanor.archive.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Reads frames from archived copies of segments: a range read of the object the catalog names.
 * The archive keeps segments byte for byte, so offsets are the hot file's. Store failures pass
 * through as {@link dev.athanor.archive.store.StoreException} (NEEDS_RESTORE among them).
 */
public final class ArchivedSegmentSource implements SegmentSource {

    private final Supplier<ObjectStore> store;
    private final ArchivedCopies copies;

    /** @param store the object store, opened lazily (it may be unreachable at startup) */
    public ArchivedSegmentSource(Supplier<ObjectStore> store, ArchivedCopies copies) {
        this.store = store;
        this.copies = copies;
    }

    @Override
    public byte[] readFrameAt(String segment, long offset, int length) throws IOException {
        ArchivedCopies.Copy copy = copies.readable(segment);
        int count = FrameCheck.frameBytes(length);
        byte[] bytes;
        if (offset >= copy.size()) {
            bytes = new byte[0];  // getRange needs an offset inside the object
        } else {
            try (InputStream in = store.get().getRange(copy.key(), offset, count)) {
                bytes = in.readNBytes(count);
            }
        }
        return FrameCheck.payload(bytes, "raw segment " + segment + " (archived copy " + copy.key() + ")", offset, length);
    }
}
