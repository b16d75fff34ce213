package dev.athanor.rawlog;

import java.io.IOException;
import java.nio.file.Path;

/** A journal damaged where a torn write cannot explain it: entries after it may have been acknowledged. */
public class JournalCorruptException extends IOException {

    private final Path file;
    private final long offset;

    public JournalCorruptException(Path file, long offset, String problem) {
        super(file + ": journal corrupt at offset " + offset + ": " + problem
                + "; refusing to cut it there (that would drop entries after it)");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** Where the damaged entry starts. */
    public long offset() {
        return offset;
    }
}
