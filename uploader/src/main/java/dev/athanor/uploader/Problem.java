package dev.athanor.uploader;

/**
 * Data that could not be uploaded, located precisely. The rest of the file (and of the logdir)
 * is uploaded regardless.
 *
 * @param kind     what went wrong
 * @param runPath  run path relative to the logdir ("." for the root), or null for the logdir itself
 * @param file     the file, as a path relative to the logdir (or the logdir itself)
 * @param offset   byte offset in the file where the problem starts, or -1 when not about a position
 * @param message  a sentence naming file, offset and what was wrong
 */
public record Problem(Kind kind, String runPath, String file, long offset, String message) {

    public enum Kind {
        /** A frame failed its CRC or length check; bytes were skipped to the next good record. */
        CORRUPT_RECORD(true),
        /** A record is larger than the server accepts (its max_record_bytes); skipped. */
        RECORD_TOO_LARGE(true),
        /** The file could not be opened or read. */
        UNREADABLE_FILE(true),
        /** A directory (or link) below the logdir could not be read; runs below it may be missing. */
        UNREADABLE_DIRECTORY(true),
        /** The file became shorter than what was already read: it was rewritten, not appended to. */
        FILE_SHRANK(true),
        /** The server holds an earlier file of this name with another first record: rewritten in place; not uploaded. */
        FILE_REWRITTEN(true),
        /** The file disappeared before all of it was acknowledged. */
        FILE_VANISHED(true),
        /** The server refused an asset file (too large, a path it does not accept, other content stored under its path). */
        ASSET_REFUSED(true),
        /** A run or event file whose name the server does not take (control characters, too long); left out. */
        NAME_REFUSED(true),
        /** The server has no asset upload (an older ingest); plugin asset files were not uploaded. */
        ASSETS_UNSUPPORTED(true),
        /** The file ends inside a record (its writer died mid-write); the incomplete record is not data. */
        TRUNCATED_TAIL(false);

        private final boolean dataSkipped;

        Kind(boolean dataSkipped) {
            this.dataSkipped = dataSkipped;
        }

        /** True when bytes that may have held data were not uploaded (the upload is then partial). */
        public boolean dataSkipped() {
            return dataSkipped;
        }
    }

    @Override
    public String toString() {
        return message;
    }
}
