package dev.athanor.query.blobs.store;

/**
 * Where the blob sequence of one step lives in the raw log.
 *
 * @param segmentPath  the raw segment's path relative to the hot root
 * @param recordOffset offset of the TFRecord frame in the segment
 * @param recordLength payload bytes of the frame (the serialized Event)
 * @param hotDeleted   the archive removed the segment's hot file (read the archived copy)
 */
public record BlobSequenceRef(long step, double wallTime, long segmentId, String segmentPath, long recordOffset,
                              int recordLength, int blobCount, int[] blobLengths, boolean hotDeleted) {
}
