package dev.athanor.rawlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional reads of a byte range: safe from many threads, no descriptor kept between reads (also ingest's IngestRawReadService). */
public final class FileRanges {

    private FileRanges() {
    }

    /** Up to {@code count} bytes from {@code offset}; fewer when the file ends first. */
    public static byte[] read(Path file, long offset, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = offset;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, at);
                if (read < 0) {
                    break;
                }
                at += read;
            }
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.get(0, bytes);
        return bytes;
    }
}
