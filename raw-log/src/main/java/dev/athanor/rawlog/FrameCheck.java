package dev.athanor.rawlog;

import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;

/** Verifies one frame read by offset, with tfevents' TFRecord reader (both CRCs), and checks its length. */
final class FrameCheck {

    private FrameCheck() {
    }

    /** Bytes to read for a frame whose payload has {@code length} bytes. */
    static int frameBytes(int length) {
        return TfRecord.FRAME_OVERHEAD + length;
    }

    /**
     * The payload of the frame {@code bytes} hold (read from {@code offset} of {@code where}).
     *
     * @throws CorruptFrameException naming where and what is wrong
     */
    static byte[] payload(byte[] bytes, String where, long offset, int length) throws CorruptFrameException {
        TfRecordReader reader = new TfRecordReader(Channels.newChannel(new ByteArrayInputStream(bytes)), where, offset,
                TfRecordReader.DEFAULT_MAX_RECORD_BYTES);
        // Exactly one frame's worth was read: ending inside it means the frame is longer than expected or cut.
        reader.markComplete();
        ReadResult result;
        try {
            result = reader.next();
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        return switch (result) {
            case TfRecord record when record.payload().length == length -> record.payload();
            case TfRecord record -> throw new CorruptFrameException(where + " at offset " + offset + ": frame holds "
                    + record.payload().length + " bytes, the index expects " + length);
            case CorruptRecord corrupt -> throw new CorruptFrameException(corrupt.message()
                    + (bytes.length < frameBytes(length) ? " (the segment ends before the record does)"
                            : " (the index expects a " + length + "-byte record)"));
            case EndOfData end -> throw new CorruptFrameException(where + " at offset " + offset
                    + ": the segment ends before the record does");
        };
    }
}
