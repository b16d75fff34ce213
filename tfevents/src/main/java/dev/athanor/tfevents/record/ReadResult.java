package dev.athanor.tfevents.record;

/**
 * What {@link TfRecordReader#next()} found at the reader's position: a record, a corrupt frame,
 * or the end of the bytes available so far.
 */
public sealed interface ReadResult permits TfRecord, CorruptRecord, EndOfData {

    /** Byte offset in the source where this result starts. */
    long offset();
}
