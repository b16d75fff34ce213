package dev.athanor.tfevents.record;

/**
 * One verified TFRecord frame: its payload (both CRCs checked) and where the frame starts.
 *
 * @param offset  byte offset of the frame's first length byte in the source
 * @param payload the record's data (for event files, a serialized {@code tensorboard.Event})
 */
public record TfRecord(long offset, byte[] payload) implements ReadResult {

    /** Frame overhead: 8 length bytes, 4 length-CRC bytes, 4 payload-CRC bytes. */
    public static final int FRAME_OVERHEAD = 16;

    /** Offset of the first byte after this frame, where the next frame starts. */
    public long endOffset() {
        return offset + FRAME_OVERHEAD + payload.length;
    }
}
