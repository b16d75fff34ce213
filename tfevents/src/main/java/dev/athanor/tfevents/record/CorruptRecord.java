package dev.athanor.tfevents.record;

/**
 * A frame that failed verification. The reader stays at {@code offset} until the caller asks it
 * to {@link TfRecordReader#resync() resynchronise}; every record before it was delivered.
 *
 * @param source  name of what is being read (usually the file path), for messages
 * @param offset  byte offset of the bad frame
 * @param kind    what failed
 * @param message a sentence naming the source, the offset and what was wrong
 */
public record CorruptRecord(String source, long offset, RecordCorruption kind, String message)
        implements ReadResult {
}
