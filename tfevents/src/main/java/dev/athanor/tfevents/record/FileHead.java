package dev.athanor.tfevents.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.zip.CRC32C;

/**
 * The fingerprint of an event file: the CRC32C of its first record's payload. For event files that
 * record is the {@code file_version} event with the writer's wall time, so two files written at
 * different times differ in it. ingest keeps the fingerprint of each source file it stored; the
 * uploader compares it with the file on disk before resuming, so a file rewritten in place under
 * the same name is noticed instead of merged with what the server holds of its predecessor.
 */
public final class FileHead {

    private FileHead() {
    }

    /** The fingerprint of a file whose first record has this payload. */
    public static int of(byte[] firstPayload) {
        return of(firstPayload, 0, firstPayload.length);
    }

    public static int of(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /**
     * The fingerprint of the file on disk, or empty when its first record is not whole (yet) or
     * not valid: nothing to compare then.
     */
    public static OptionalInt read(Path file) throws IOException {
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            return reader.next() instanceof TfRecord first ? OptionalInt.of(of(first.payload())) : OptionalInt.empty();
        }
    }
}
