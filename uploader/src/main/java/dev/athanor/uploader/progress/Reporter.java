package dev.athanor.uploader.progress;

/**
 * Tells the person (or the log collector) what the uploader is doing. Called from the upload
 * loop's thread only.
 */
public interface Reporter {

    enum Level { INFO, WARN, ERROR }

    /** A notable event: {@code fields} are alternating keys and values, for structured output. */
    void event(Level level, String event, String message, Object... fields);

    /** Called often; shows progress when it is time to. */
    void progress(ProgressSnapshot snapshot, long nowNanos);

    /** The last word: clears the live line and prints the summary. */
    void finish(ProgressSnapshot snapshot, String outcome, int exitCode, String message);
}
