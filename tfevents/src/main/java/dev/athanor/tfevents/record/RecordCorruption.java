package dev.athanor.tfevents.record;

/** Why a TFRecord frame could not be read. */
public enum RecordCorruption {
    /** The masked CRC32C stored after the 8 length bytes does not match them. */
    LENGTH_CRC_MISMATCH,
    /** The length verifies but is larger than the reader's limit (for example 2^63). */
    LENGTH_TOO_LARGE,
    /** The masked CRC32C stored after the payload does not match it. */
    PAYLOAD_CRC_MISMATCH,
    /**
     * The source is complete ({@link TfRecordReader#markComplete()}) but ends inside this frame:
     * a writer that died mid-record, a truncated copy, or a length corrupted into a larger one.
     */
    TRUNCATED_FRAME
}
