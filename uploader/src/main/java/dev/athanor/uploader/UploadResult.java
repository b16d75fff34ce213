package dev.athanor.uploader;

import java.time.Duration;
import java.util.List;

/**
 * What an upload did and how it ended.
 *
 * @param outcome          how it ended; {@link #exitCode()} is what the CLI exits with
 * @param message          one sentence for the person (what happened, or what went wrong and what to do)
 * @param experimentId     the server's id of the experiment, or null if it was never reached
 * @param runs             runs found in the logdir
 * @param files            event files found
 * @param bytesAcked       file bytes (frames included) the server acknowledged in this upload
 * @param recordsAcked     records acknowledged in this upload (new and duplicate)
 * @param recordsDuplicate of those, records the server already had (replays after a reconnect)
 * @param reconnects       streams re-established after a failure
 * @param problems         data that was skipped or could not be read, each naming file and offset
 * @param problemsOmitted  problems not listed (the list is capped to bound memory)
 * @param elapsed          wall time of the upload
 * @param assets           plugin asset files the server has at the end (uploaded now or before)
 * @param assetBytes       their bytes
 */
public record UploadResult(
        Outcome outcome,
        String message,
        String experimentId,
        int runs,
        int files,
        long bytesAcked,
        long recordsAcked,
        long recordsDuplicate,
        int reconnects,
        List<Problem> problems,
        int problemsOmitted,
        Duration elapsed,
        int assets,
        long assetBytes) {

    public UploadResult {
        problems = List.copyOf(problems);
    }

    public int exitCode() {
        return outcome.exitCode();
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }
}
