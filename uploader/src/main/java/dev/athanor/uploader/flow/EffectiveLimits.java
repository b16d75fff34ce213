package dev.athanor.uploader.flow;

import dev.athanor.proto.ingest.v1.UploadLimits;

/**
 * The limits the uploader obeys: the server's announced {@link UploadLimits}, narrowed by the
 * client's own caps; a limit the server leaves at 0 ("unset") falls back to a safe default.
 *
 * @param maxMessageBytes    largest UploadRequest message
 * @param maxRecordBytes     largest single payload; bigger records are skipped and reported
 * @param maxBatchBytes      payload bytes per RecordBatch
 * @param maxInflightBatches batches sent but not yet acknowledged
 * @param maxBytesPerSecond  upload rate (payload bytes), 0 = unlimited
 */
public record EffectiveLimits(long maxMessageBytes, int maxRecordBytes, long maxBatchBytes,
                              int maxInflightBatches, long maxBytesPerSecond) {

    /** gRPC's default inbound message limit, which an unconfigured server enforces. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 4L << 20;
    /** Room in one message for the batch's ids, run path, file name and framing. */
    static final int ENVELOPE_RESERVE = 8 * 1024;
    private static final int MIN_MESSAGE_BYTES = 2 * ENVELOPE_RESERVE;

    public static EffectiveLimits of(UploadLimits server, long clientMaxBatchBytes, int clientMaxInflight,
            long clientMaxBytesPerSecond) {
        long message = server.getMaxMessageBytes() > 0 ? server.getMaxMessageBytes() : DEFAULT_MAX_MESSAGE_BYTES;
        message = Math.max(message, MIN_MESSAGE_BYTES);
        // A record must fit in one message together with the batch envelope.
        long record = message - ENVELOPE_RESERVE;
        if (server.getMaxRecordBytes() > 0) {
            record = Math.min(record, server.getMaxRecordBytes());
        }
        record = Math.min(record, Integer.MAX_VALUE - 64);
        long batch = positiveMin(server.getMaxBatchBytes(), clientMaxBatchBytes);
        if (batch <= 0) {
            batch = 1L << 20;
        }
        batch = Math.min(batch, message - ENVELOPE_RESERVE);
        int inflight = (int) positiveMin(server.getMaxInflightBatches(), clientMaxInflight);
        if (inflight <= 0) {
            inflight = 8;
        }
        long rate = positiveMin(server.getMaxBytesPerSecond(), clientMaxBytesPerSecond);
        return new EffectiveLimits(message, (int) record, batch, inflight, Math.max(rate, 0));
    }

    /** The smaller of two limits where values <= 0 mean "no limit". */
    static long positiveMin(long a, long b) {
        if (a <= 0) {
            return b;
        }
        if (b <= 0) {
            return a;
        }
        return Math.min(a, b);
    }
}
