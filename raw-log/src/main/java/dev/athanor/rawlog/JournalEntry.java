package dev.athanor.rawlog;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One entry of a run's journal: the durable map from what the client uploaded (source file,
 * byte range) to where it lies in the raw log (segment, byte range). Entries are TFRecord framed
 * in the journal file, so a torn write at a crash is detected by its CRC.
 */
public sealed interface JournalEntry {

    byte HEADER = 1;
    byte FILE = 2;
    byte SEGMENT = 3;
    byte APPEND = 4;
    byte SEAL = 5;
    byte EPOCH = 6;
    byte RESUME = 7;

    int FORMAT_VERSION = 1;

    /** First entry of every journal: which run this directory holds, so the raw log is self-describing. */
    record Header(int version, long runId, long experimentId, String project, String experiment, String runPath,
                  String node) implements JournalEntry {
    }

    /** Gives a source file name a small id used by later entries. */
    record FileDef(int fileId, String name) implements JournalEntry {
    }

    /** A new segment (file name in the run directory) starts; it receives the following appends. */
    record SegmentStart(int seq, String name, long createdEpochMillis) implements JournalEntry {
    }

    /**
     * Bytes {@code [sourceStart, sourceEnd)} of source file {@code fileId} are the frames at
     * {@code [segmentStart, segmentEnd)} of segment {@code seq}: {@code records} records, byte for
     * byte (TFRecord framing is the same on both sides).
     */
    record Append(int fileId, long sourceStart, long sourceEnd, int seq, long segmentStart, long segmentEnd,
                  int records) implements JournalEntry {

        public long bytes() {
            return segmentEnd - segmentStart;
        }
    }

    /** Segment {@code seq} receives nothing more; {@code size} is its final length. */
    record Seal(int seq, long size) implements JournalEntry {
    }

    /**
     * The appends that follow were written under fencing epoch {@code epoch} of the run's lease
     * (the commit ledger records them per epoch; recovery compares against it).
     */
    record Epoch(long epoch) implements JournalEntry {
    }

    /**
     * Source file {@code fileId} continues at {@code offset} on this replica: the bytes before it
     * were committed under earlier epochs, possibly by another replica (a handover). Readers that
     * need them in order (the indexer) find them in that replica's raw log, not in this one.
     */
    record Resume(int fileId, long offset) implements JournalEntry {
    }

    public static byte[] encode(JournalEntry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (entry) {
                case Header h -> {
                    out.writeByte(HEADER);
                    out.writeInt(h.version());
                    out.writeLong(h.runId());
                    out.writeLong(h.experimentId());
                    out.writeUTF(h.project());
                    out.writeUTF(h.experiment());
                    out.writeUTF(h.runPath());
                    out.writeUTF(h.node());
                }
                case FileDef f -> {
                    out.writeByte(FILE);
                    out.writeInt(f.fileId());
                    out.writeUTF(f.name());
                }
                case SegmentStart s -> {
                    out.writeByte(SEGMENT);
                    out.writeInt(s.seq());
                    out.writeUTF(s.name());
                    out.writeLong(s.createdEpochMillis());
                }
                case Append a -> {
                    out.writeByte(APPEND);
                    out.writeInt(a.fileId());
                    out.writeLong(a.sourceStart());
                    out.writeLong(a.sourceEnd());
                    out.writeInt(a.seq());
                    out.writeLong(a.segmentStart());
                    out.writeLong(a.segmentEnd());
                    out.writeInt(a.records());
                }
                case Seal s -> {
                    out.writeByte(SEAL);
                    out.writeInt(s.seq());
                    out.writeLong(s.size());
                }
                case Epoch e -> {
                    out.writeByte(EPOCH);
                    out.writeLong(e.epoch());
                }
                case Resume r -> {
                    out.writeByte(RESUME);
                    out.writeInt(r.fileId());
                    out.writeLong(r.offset());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static JournalEntry decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        byte type = in.readByte();
        return switch (type) {
            case HEADER -> new Header(in.readInt(), in.readLong(), in.readLong(), in.readUTF(), in.readUTF(),
                    in.readUTF(), in.readUTF());
            case FILE -> new FileDef(in.readInt(), in.readUTF());
            case SEGMENT -> new SegmentStart(in.readInt(), in.readUTF(), in.readLong());
            case APPEND -> new Append(in.readInt(), in.readLong(), in.readLong(), in.readInt(), in.readLong(),
                    in.readLong(), in.readInt());
            case SEAL -> new Seal(in.readInt(), in.readLong());
            case EPOCH -> new Epoch(in.readLong());
            case RESUME -> new Resume(in.readInt(), in.readLong());
            default -> throw new IOException("unknown journal entry type " + type);
        };
    }
}
