package dev.athanor.uploader.tail;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * Contiguous records of one file, ready to send as a RecordBatch.
 *
 * @param file         where they came from
 * @param startOffset  frame offset of the first record
 * @param endOffset    offset just past the last record's frame
 * @param records      the payloads, unchanged
 * @param payloadBytes sum of payload sizes
 */
public record ReadBatch(TailedFile file, long startOffset, long endOffset, List<ByteString> records,
                        long payloadBytes) {
}
