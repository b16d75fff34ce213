package dev.athanor.tfevents.event;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the Events of one event file in order. Problems (corrupt frames, payloads that are not
 * Events) go to a listener with their offsets and reading continues past them, so no good record
 * is lost. A truncated tail ends reading cleanly while the file may still grow;
 * {@link #position()} is then where to resume (see {@link #markComplete()} for finished files).
 */
public final class EventFileReader implements Closeable {

    private final TfRecordReader records;
    private final Consumer<ReadProblem> problems;
    private long truncatedTailBytes;

    public EventFileReader(TfRecordReader records, Consumer<ReadProblem> problems) {
        this.records = Objects.requireNonNull(records, "records");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    public static EventFileReader open(Path file, long startOffset, Consumer<ReadProblem> problems)
            throws IOException {
        return new EventFileReader(TfRecordReader.open(file, startOffset), problems);
    }

    public static EventFileReader open(Path file, Consumer<ReadProblem> problems) throws IOException {
        return open(file, 0, problems);
    }

    /**
     * Lets a caller take a record from its raw payload and skip the protobuf parse, for shapes it
     * can read itself (see {@link dev.athanor.tfevents.decode.SimpleScalarRecord}).
     */
    @FunctionalInterface
    public interface PayloadShortcut {
        /** True if the caller has taken the record whose non-empty payload this is; it is then not parsed. */
        boolean take(byte[] payload, long offset);
    }

    private static final PayloadShortcut NO_SHORTCUT = (payload, offset) -> false;

    /** The next decoded event, or null when no complete record is available (yet). */
    public EventRecord next() throws IOException {
        return next(NO_SHORTCUT);
    }

    /**
     * Like {@link #next()}, but each good, non-empty record is first offered to {@code shortcut};
     * the ones it takes are not parsed and not returned. Problems are reported as by {@link #next()}.
     */
    public EventRecord next(PayloadShortcut shortcut) throws IOException {
        while (true) {
            // instanceof rather than a pattern switch: this runs once per record and the plain
            // type checks are cheaper than the switch's bootstrap-based dispatch.
            ReadResult result = records.next();
            if (result instanceof TfRecord record) {
                truncatedTailBytes = 0;
                byte[] payload = record.payload();
                if (payload.length > 0 && shortcut.take(payload, record.offset())) {
                    continue;
                }
                EventRecord decoded = decode(record);
                if (decoded != null) {
                    return decoded;
                }
            } else if (result instanceof CorruptRecord corrupt) {
                long skipped = records.resync();
                problems.accept(new ReadProblem(corrupt.source(), corrupt.offset(),
                        ReadProblem.Kind.CORRUPT_FRAME, skipped,
                        corrupt.message() + "; skipped " + skipped + " bytes to the next valid record"));
            } else {
                truncatedTailBytes = ((EndOfData) result).partialBytes();
                return null;
            }
        }
    }

    /** Offset just past the last record read or skipped: where a later read resumes. */
    public long position() {
        return records.position();
    }

    /**
     * Declares that the file will not grow any more (its writer closed it, or a newer file
     * replaced it). An incomplete record at the end is then reported as a
     * {@link ReadProblem.Kind#CORRUPT_FRAME} and any complete records inside it are recovered,
     * instead of waiting for the rest to be written.
     */
    public void markComplete() {
        records.markComplete();
    }

    /** Bytes of an incomplete record at the end, seen by the last {@link #next()} that returned null. */
    public long truncatedTailBytes() {
        return truncatedTailBytes;
    }

    public String source() {
        return records.source();
    }

    private EventRecord decode(TfRecord record) {
        byte[] payload = record.payload();
        if (payload.length == 0) {
            problems.accept(new ReadProblem(records.source(), record.offset(), ReadProblem.Kind.EMPTY_RECORD, 0,
                    "%s: record at offset %d is empty (0 bytes); an Event has at least a wall_time"
                            .formatted(records.source(), record.offset())));
            return null;
        }
        try {
            Event event = parse(payload);
            if (looksForeign(event)) {
                problems.accept(new ReadProblem(records.source(), record.offset(), ReadProblem.Kind.NOT_AN_EVENT, 0,
                        "%s: record at offset %d (%d bytes) is not a tensorboard.Event: no known field is set"
                                .formatted(records.source(), record.offset(), payload.length)));
                return null;
            }
            return new EventRecord(record.offset(), payload, event);
        } catch (InvalidProtocolBufferException e) {
            problems.accept(new ReadProblem(records.source(), record.offset(), ReadProblem.Kind.NOT_AN_EVENT, 0,
                    "%s: record at offset %d (%d bytes) is not a tensorboard.Event: %s"
                            .formatted(records.source(), record.offset(), payload.length, e.getMessage())));
            return null;
        }
    }

    /**
     * Parses without copying bytes fields (images, tensor contents, graphs): they share the
     * payload array, which is the record's own and never modified.
     */
    private static Event parse(byte[] payload) throws InvalidProtocolBufferException {
        CodedInputStream input = UnsafeByteOperations.unsafeWrap(payload).newCodedInput();
        input.enableAliasing(true);
        Event event = Event.parser().parseFrom(input);
        // A stray end-group tag must not end the message early and pass for an empty Event
        // (protobuf-java's parser checks this too; this keeps it true whatever the version).
        input.checkLastTagWas(0);
        return event;
    }

    /** Bytes that happen to parse, but only into unknown fields, are not an Event. */
    private static boolean looksForeign(Event event) {
        // Cheapest checks first: nearly every real event fails the first one.
        return event.getWhatCase() == Event.WhatCase.WHAT_NOT_SET
                && event.getWallTime() == 0.0
                && event.getStep() == 0
                && !event.hasSourceMetadata()
                && !event.getUnknownFields().asMap().isEmpty();
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
