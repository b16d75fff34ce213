package dev.athanor.ingest.rawlog;

import com.google.protobuf.ByteString;
import dev.athanor.tfevents.record.MaskedCrc32c;
import dev.athanor.tfevents.record.TfRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.CRC32C;

/**
 * Frames record payloads as TFRecords into one buffer, straight from the gRPC ByteStrings (no extra
 * copies). The buffers are reused: a caller hands one back with {@link #release} once it is
 * written, and the next batch, of any run, frames into it. A few are kept, none larger than
 * {@link #MAX_KEPT_BYTES}, so the reuse holds a bounded heap whatever the number of runs.
 */
final class FrameEncoder {

    static final int MAX_KEPT_BYTES = 4 << 20;
    private static final int MIN_BYTES = 64 << 10;
    private static final ArrayBlockingQueue<ByteBuffer> FREE = new ArrayBlockingQueue<>(8);

    private FrameEncoder() {
    }

    /** The frames of {@code records[from..]}, ready to write (position 0, limit at their end). */
    static ByteBuffer frames(List<ByteString> records, int from) {
        long total = 0;
        for (int i = from; i < records.size(); i++) {
            total += TfRecord.FRAME_OVERHEAD + records.get(i).size();
        }
        ByteBuffer out = buffer(Math.toIntExact(total));
        byte[] lengthBytes = new byte[8];
        ByteBuffer lengthView = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        for (int i = from; i < records.size(); i++) {
            ByteString payload = records.get(i);
            lengthView.putLong(0, payload.size());
            out.put(lengthBytes);
            out.putInt(MaskedCrc32c.of(lengthBytes, 0, 8));
            int payloadStart = out.position();
            payload.copyTo(out);
            crc.reset();
            crc.update(out.array(), payloadStart, payload.size());
            out.putInt(MaskedCrc32c.mask((int) crc.getValue()));
        }
        out.flip();
        return out;
    }

    /** Hands back a buffer {@link #frames} returned, once its bytes are written: the caller uses it no more. */
    static void release(ByteBuffer frames) {
        if (frames.capacity() <= MAX_KEPT_BYTES) {
            frames.clear();
            FREE.offer(frames); // dropped when enough are kept
        }
    }

    private static ByteBuffer buffer(int bytes) {
        ByteBuffer kept = FREE.poll();
        if (kept != null && kept.capacity() >= bytes) {
            return kept.limit(bytes);
        }
        // A kept buffer too small for this batch is let go: the new one, sized for it, is kept instead.
        int capacity = bytes <= MAX_KEPT_BYTES ? Math.max(bytes, MIN_BYTES) : bytes;
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN).limit(bytes);
    }
}
