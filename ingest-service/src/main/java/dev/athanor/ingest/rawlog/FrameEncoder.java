package dev.athanor.ingest.rawlog;

import com.google.protobuf.ByteString;
import dev.athanor.tfevents.record.MaskedCrc32c;
import dev.athanor.tfevents.record.TfRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

/** Frames record payloads as TFRecords into one buffer, straight from the gRPC ByteStrings (no extra copies). */
final class FrameEncoder {

    private FrameEncoder() {
    }

    static ByteBuffer frames(List<ByteString> records, int from) {
        long total = 0;
        for (int i = from; i < records.size(); i++) {
            total += TfRecord.FRAME_OVERHEAD + records.get(i).size();
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
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
}
