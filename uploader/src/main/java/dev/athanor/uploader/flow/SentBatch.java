package dev.athanor.uploader.flow;

/**
 * A batch on the wire, awaiting its acknowledgement.
 *
 * @param batchId      the id it was sent with
 * @param fileKey      the file it came from ({@code runPath + '\0' + fileName})
 * @param startOffset  offset of its first record's frame
 * @param endOffset    offset just past its last record's frame
 * @param records      number of records
 * @param payloadBytes sum of payload sizes
 */
public record SentBatch(long batchId, String fileKey, long startOffset, long endOffset, int records,
                        long payloadBytes) {

    /** File bytes the batch covers, frames included. */
    public long fileBytes() {
        return endOffset - startOffset;
    }
}
