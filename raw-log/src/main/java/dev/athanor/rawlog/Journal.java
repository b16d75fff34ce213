package dev.athanor.rawlog;

import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import dev.athanor.tfevents.record.TfRecordWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's journal file: TFRecord-framed {@link JournalEntry entries}. This class is the one replay
 * of it (ingest's recovery and the indexer's resume both read through {@link #read}) and the
 * framing of entries for appending.
 *
 * <p>A crash can tear the last group commit, so damage at the end of the file with nothing
 * readable after it is a torn tail: the good entries before it are returned and the caller cuts
 * the rest off. Damage followed by a verifying frame, or read in a range that stops short of the
 * file's end (the indexer reads only fsynced bytes), is not a torn write but corruption of entries
 * that may have been acknowledged; cutting there would silently drop them, so
 * {@link JournalCorruptException} is thrown instead. (A torn commit whose later page reached the disk before an earlier one looks the
 * same and is refused too: the safe side, an operator decides.)
 */
public final class Journal {

    public static final String FILE_NAME = ".athanor.journal";

    /** Enough for the header entry, which is always first and small. */
    private static final int HEADER_READ_BYTES = 4096;

    private Journal() {
    }

    /** An entry and the journal offset just past it. */
    public record Positioned(JournalEntry entry, long end) {
    }

    /**
     * The good entries read and where they end. {@code problem} says why reading stopped before
     * the range's end (an entry cut by the range's end, or a torn tail of the file), else null.
     */
    public record Contents(List<Positioned> entries, long validEnd, String problem) {
    }

    /**
     * Reads the entries in {@code [from, to)}. An entry cut by {@code to} ends the read without an
     * error (callers read large journals in windows and continue from {@code validEnd}).
     *
     * @throws JournalCorruptException when an entry is undecodable, or damaged and not the file's
     *                                 torn tail (naming the file and the damaged entry's offset)
     */
    public static Contents read(Path file, long from, long to) throws IOException {
        boolean rangeReachesFileEnd = to >= Files.size(file);
        byte[] bytes = FileRanges.read(file, from, Math.toIntExact(to - from));
        TfRecordReader reader = new TfRecordReader(Channels.newChannel(new ByteArrayInputStream(bytes)),
                file.toString(), from, TfRecordReader.DEFAULT_MAX_RECORD_BYTES);
        List<Positioned> entries = new ArrayList<>();
        while (true) {
            ReadResult result = reader.next();
            switch (result) {
                case TfRecord record -> {
                    try {
                        entries.add(new Positioned(JournalEntry.decode(record.payload()), record.endOffset()));
                    } catch (IOException e) {
                        // Both CRCs verified, so these bytes were written as they are: not a torn write.
                        throw new JournalCorruptException(file, record.offset(),
                                "undecodable journal entry (" + e.getMessage() + ")");
                    }
                }
                case CorruptRecord corrupt -> {
                    if (!rangeReachesFileEnd) {
                        throw new JournalCorruptException(file, corrupt.offset(), "damaged journal entry before"
                                + " the end of the file (" + corrupt.message() + ")");
                    }
                    reader.resync();
                    long next = reader.position();
                    if (reader.next() instanceof TfRecord) {
                        throw new JournalCorruptException(file, corrupt.offset(), "damaged journal entry, yet a"
                                + " readable one follows at offset " + next + " (" + corrupt.message() + ")");
                    }
                    return new Contents(entries, corrupt.offset(), file + ": torn journal tail at offset "
                            + corrupt.offset() + " (" + corrupt.message() + ")");
                }
                case EndOfData end -> {
                    return new Contents(entries, end.offset(),
                            end.truncated() ? file + ": incomplete journal entry at offset " + end.offset() : null);
                }
            }
        }
    }

    /** The identity header an existing journal starts with, or null when it has none. */
    public static JournalEntry.Header readHeader(Path file) throws IOException {
        Contents contents = read(file, 0, Math.min(Files.size(file), HEADER_READ_BYTES));
        if (!contents.entries().isEmpty() && contents.entries().getFirst().entry() instanceof JournalEntry.Header h) {
            return h;
        }
        return null;
    }

    /** Frames entries for appending. */
    public static byte[] frame(List<JournalEntry> entries) {
        List<byte[]> frames = new ArrayList<>(entries.size());
        int total = 0;
        for (JournalEntry entry : entries) {
            byte[] framed = TfRecordWriter.frame(JournalEntry.encode(entry));
            frames.add(framed);
            total += framed.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] framed : frames) {
            System.arraycopy(framed, 0, out, at, framed.length);
            at += framed.length;
        }
        return out;
    }
}
