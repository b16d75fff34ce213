package dev.athanor.ingest.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * CRC32C of one segment, recorded in raw_segment when it is sealed so the archive can prove its
 * copy end to end. Folded in while the indexer reads the segment front to back; when the indexer
 * started mid-segment (a restart), the hot file is read once at the seal instead.
 */
final class SealChecksum {

    private static final Logger LOG = Logger.getLogger(SealChecksum.class);

    private final CRC32C crc = new CRC32C();
    /** The checksum covers the segment's bytes [0, end). */
    private long end;

    /** Folds in the segment's bytes at {@code [start, start + length)}; ignored unless they follow what was folded. */
    void update(long start, byte[] bytes, int length) {
        if (start == end) {
            crc.update(bytes, 0, length);
            end = start + length;
        }
    }

    /** The CRC32C of the segment's {@code size} bytes; null when its file is not here (archived, or on another volume). */
    Long of(Path file, long size) {
        if (end == size) {
            return crc.getValue();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != size) {
                LOG.warnf("%s: holds %d bytes, the journal says %d; no CRC32C recorded", file, ch.size(), size);
                return null;
            }
            return ofFile(ch, size);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warnf("%s: cannot read it for its CRC32C: %s", file, e.getMessage());
            return null;
        }
    }

    private static long ofFile(FileChannel ch, long size) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long at = 0;
        while (at < size) {
            buf.clear();
            int n = ch.read(buf, at);
            if (n < 0) {
                break;
            }
            buf.flip();
            crc.update(buf);
            at += n;
        }
        return crc.getValue();
    }
}
