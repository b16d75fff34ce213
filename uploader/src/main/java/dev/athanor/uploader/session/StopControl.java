package dev.athanor.uploader.session;

import dev.athanor.proto.ingest.v1.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * When to stop tailing: a stop request (signal, API) or, in sidecar mode, the stop marker file.
 * The marker's content says how training ended: empty, "0", "ok", "finished" or "success" mark
 * the runs FINISHED; anything else (a non-zero exit code, "failed") marks them FAILED — so a
 * training container can end with {@code echo $? > $LOGDIR/.athanor-stop}.
 */
public final class StopControl {

    /** The loop asks often; a stat of the marker more than a few times a second is waste. */
    private static final long MARKER_CHECK_NANOS = 100_000_000L;

    private final Path marker;
    private final LongSupplier nanoTime;
    private long lastMarkerCheck;
    private volatile boolean requested;
    private volatile boolean aborted;
    private RunStatus status = RunStatus.RUN_STATUS_FINISHED;
    private String reason;
    private boolean trainingEnded;

    /** {@code marker} null: no marker (once mode). */
    public StopControl(Path marker) {
        this(marker, System::nanoTime);
    }

    StopControl(Path marker, LongSupplier nanoTime) {
        this.marker = marker;
        this.nanoTime = nanoTime;
        this.lastMarkerCheck = nanoTime.getAsLong() - MARKER_CHECK_NANOS;
    }

    public void request() {
        requested = true;
    }

    public void abort() {
        aborted = true;
        requested = true;
    }

    public boolean aborted() {
        return aborted;
    }

    /** True once a stop was requested or the marker appeared (checked on each call). */
    public boolean shouldStop() {
        if (reason != null) {
            return true;
        }
        if (requested) {
            reason = "stop requested";
            return true;
        }
        long now = nanoTime.getAsLong();
        if (marker != null && now - lastMarkerCheck >= MARKER_CHECK_NANOS && markerExists(now)) {
            reason = "stop marker " + marker + " appeared";
            trainingEnded = true;
            status = statusFrom(marker);
            return true;
        }
        return false;
    }

    private boolean markerExists(long now) {
        lastMarkerCheck = now;
        return Files.exists(marker);
    }

    /** Why stopping began (null while not stopping). */
    public String reason() {
        return reason;
    }

    /**
     * True when the marker said training has ended, so no event file will grow again (a signal
     * says no such thing: the training container may still be writing).
     */
    public boolean trainingEnded() {
        return trainingEnded;
    }

    /** The status the runs get when finished. */
    public RunStatus runStatus() {
        return status;
    }

    static RunStatus statusFrom(Path marker) {
        String content;
        try {
            content = Files.readString(marker, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return RunStatus.RUN_STATUS_FINISHED;
        }
        return switch (content) {
            case "", "0", "ok", "finished", "success", "succeeded" -> RunStatus.RUN_STATUS_FINISHED;
            default -> RunStatus.RUN_STATUS_FAILED;
        };
    }
}
