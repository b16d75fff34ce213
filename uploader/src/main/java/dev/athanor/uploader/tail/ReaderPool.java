package dev.athanor.uploader.tail;

import dev.athanor.tfevents.record.TfRecordReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps at most {@code capacity} event files open; the least recently read is closed (and
 * reopened at its offset when needed). Each open reader holds a buffer, so this bounds the
 * uploader's memory and descriptors whatever the number of files in the logdir.
 */
public final class ReaderPool {

    private final int capacity;
    private final Map<TailedFile, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);

    public ReaderPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** The file's reader, opened at {@link TailedFile#nextOffset} if it was not open. */
    TfRecordReader acquire(TailedFile file, int maxRecordBytes) throws IOException {
        if (file.reader == null) {
            FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
            try {
                channel.position(file.nextOffset);
                file.reader = new TfRecordReader(channel, file.path().toString(), file.nextOffset, maxRecordBytes);
                if (file.complete) {
                    file.reader.markComplete();
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            file.pending = null;
        }
        open.put(file, Boolean.TRUE);
        evictBeyondCapacity();
        return file.reader;
    }

    /** Closes the file's reader (it was reset, failed or vanished). */
    void release(TailedFile file) {
        open.remove(file);
        file.closeReader();
    }

    public int openCount() {
        return open.size();
    }

    void closeAll() {
        for (TailedFile file : open.keySet()) {
            file.closeReader();
        }
        open.clear();
    }

    private void evictBeyondCapacity() {
        Iterator<TailedFile> eldest = open.keySet().iterator();
        while (open.size() > capacity && eldest.hasNext()) {
            TailedFile file = eldest.next();
            eldest.remove();
            // A stashed record is dropped with the reader: nextOffset still points at it.
            file.closeReader();
        }
    }
}
