package dev.athanor.uploader.tail;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.FileHead;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import dev.athanor.uploader.Problem;
import dev.athanor.uploader.flow.EffectiveLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads the next batch of one file: contiguous records from {@link TailedFile#nextOffset}, up to
 * the batch and message limits. A corrupt frame ends the batch; the problem is reported with file
 * and offset, the reader resynchronises, and the next batch starts at the next good record. An
 * incomplete record at the end (a file still being written) ends the batch and waits.
 */
public final class BatchReader {

    /** Bytes of a RecordBatch's envelope besides the records: ids, paths, offsets, tags. */
    private static final int ENVELOPE_FIXED_BYTES = 64;

    private final ReaderPool readers;
    private final ProblemSink problems;

    public BatchReader(ReaderPool readers, ProblemSink problems) {
        this.readers = readers;
        this.problems = problems;
    }

    /**
     * The next records of {@code file}, or null when nothing could be read now (end of the data
     * so far, or the file could not be opened: then the problem has been reported).
     */
    public ReadBatch read(TailedFile file, EffectiveLimits limits) {
        TfRecordReader reader;
        try {
            reader = readers.acquire(file, limits.maxRecordBytes());
        } catch (IOException e) {
            unreadable(file, e);
            return null;
        }
        long envelope = ENVELOPE_FIXED_BYTES + file.runPath().length() * 3L + file.fileName().length() * 3L;
        List<ByteString> records = new ArrayList<>();
        long start = file.nextOffset;
        long payloadBytes = 0;
        long messageBytes = envelope;
        try {
            while (true) {
                TfRecord record = file.pending;
                file.pending = null;
                if (record == null) {
                    ReadResult result = reader.next();
                    switch (result) {
                        case TfRecord r -> record = r;
                        case CorruptRecord corrupt -> {
                            skipCorrupt(file, reader, corrupt, limits);
                            if (!records.isEmpty()) {
                                return new ReadBatch(file, start, corrupt.offset(), records, payloadBytes);
                            }
                            start = file.nextOffset;
                            continue;
                        }
                        case EndOfData end -> {
                            file.lengthAtEof = end.offset() + end.partialBytes();
                            file.tailPartialBytes = end.partialBytes();
                            // The read saw the true length; a scan's older size must not make it look unread.
                            file.lastSize = file.lengthAtEof;
                            return records.isEmpty() ? null
                                    : new ReadBatch(file, start, file.nextOffset, records, payloadBytes);
                        }
                    }
                }
                ByteString payload = UnsafeByteOperations.unsafeWrap(record.payload());
                long recordMessageBytes = CodedOutputStream.computeBytesSize(6, payload);
                if (!records.isEmpty() && (payloadBytes + payload.size() > limits.maxBatchBytes()
                        || messageBytes + recordMessageBytes > limits.maxMessageBytes() - 16)) {
                    file.pending = record;
                    return new ReadBatch(file, start, file.nextOffset, records, payloadBytes);
                }
                if (file.nextOffset == 0) {
                    file.sentHead = OptionalInt.of(FileHead.of(record.payload()));
                }
                records.add(payload);
                payloadBytes += payload.size();
                messageBytes += recordMessageBytes;
                file.nextOffset = record.endOffset();
            }
        } catch (IOException e) {
            readers.release(file);
            unreadable(file, e);
            return records.isEmpty() ? null : new ReadBatch(file, start, file.nextOffset, records, payloadBytes);
        }
    }

    private void skipCorrupt(TailedFile file, TfRecordReader reader, CorruptRecord corrupt, EffectiveLimits limits)
            throws IOException {
        long skipped = reader.resync();
        boolean continuation = corrupt.offset() == file.skipEnd;
        file.nextOffset = reader.position();
        file.skipEnd = reader.position();
        if (continuation || !file.firstReport(corrupt.offset())) {
            return;
        }
        Problem.Kind kind;
        String what;
        switch (corrupt.kind()) {
            case LENGTH_TOO_LARGE -> {
                kind = Problem.Kind.RECORD_TOO_LARGE;
                what = "%s: record at offset %d is larger than the %d bytes the server accepts per record; skipped %d bytes to the next record"
                        .formatted(file.path(), corrupt.offset(), limits.maxRecordBytes(), skipped);
            }
            case TRUNCATED_FRAME -> {
                kind = Problem.Kind.TRUNCATED_TAIL;
                what = "%s (its writer stopped mid-record); skipped %d bytes".formatted(corrupt.message(), skipped);
            }
            default -> {
                kind = Problem.Kind.CORRUPT_RECORD;
                what = "%s; skipped %d bytes to the next valid record".formatted(corrupt.message(), skipped);
            }
        }
        problems.report(new Problem(kind, file.runPath(), file.displayName(), corrupt.offset(), what));
    }

    private void unreadable(TailedFile file, IOException e) {
        file.unreadableAtSize = file.lastSize;
        if (file.firstReport(-1 - file.nextOffset)) {
            problems.report(new Problem(Problem.Kind.UNREADABLE_FILE, file.runPath(), file.displayName(),
                    file.nextOffset, "%s: cannot read from offset %d: %s".formatted(
                            file.path(), file.nextOffset, describe(e))));
        }
    }

    static String describe(IOException e) {
        String type = switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NoSuchFileException n -> "no such file (deleted, or a dangling link)";
            default -> e.getClass().getSimpleName();
        };
        return e.getMessage() != null && !(e instanceof java.nio.file.FileSystemException)
                ? type + " (" + e.getMessage() + ")" : type;
    }
}
