package dev.athanor.ingest.rawlog;

import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import dev.athanor.tfevents.record.TfRecordWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads and appends the framed entries of a run's journal file. */
public final class Journal {

    public static final String FILE_NAME = ".athanor.journal";

    private Journal() {
    }

    /** An entry and the journal offset just past it. */
    public record Positioned(JournalEntry entry, long end) {
    }

    /** The result of reading a journal: its good entries and where the good bytes end. */
    public record Contents(List<Positioned> entries, long validEnd, String problem) {
    }

    /** Reads entries in {@code [from, to)}; stops at the first damaged or incomplete frame. */
    public static Contents read(Path file, long from, long to) throws IOException {
        int length = Math.toIntExact(to - from);
        byte[] bytes = new byte[length];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            long pos = from;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            length = buf.position();
        }
        TfRecordReader reader = new TfRecordReader(Channels.newChannel(new ByteArrayInputStream(bytes, 0, length)),
                file.toString(), from, TfRecordReader.DEFAULT_MAX_RECORD_BYTES);
        List<Positioned> entries = new ArrayList<>();
        while (true) {
            ReadResult result = reader.next();
            switch (result) {
                case TfRecord record -> {
                    try {
                        entries.add(new Positioned(JournalEntry.decode(record.payload()), record.endOffset()));
                    } catch (IOException e) {
                        return new Contents(entries, record.offset(),
                                file + ": undecodable journal entry at offset " + record.offset() + ": " + e.getMessage());
                    }
                }
                case CorruptRecord corrupt -> {
                    return new Contents(entries, corrupt.offset(), corrupt.message());
                }
                case EndOfData end -> {
                    return new Contents(entries, end.offset(),
                            end.truncated() ? file + ": incomplete journal entry at offset " + end.offset() : null);
                }
            }
        }
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
