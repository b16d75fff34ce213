package dev.athanor.cli.export;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The live line of {@code athanor export} on a terminal (bytes, lines, rate), redrawn in place at
 * most five times a second; and the closing summary.
 */
final class TransferProgress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintWriter err;
    private final boolean live;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long lastDrawNanos;
    private boolean drawn;

    TransferProgress(PrintWriter err, boolean live, LongSupplier nanoTime) {
        this.err = err;
        this.live = live;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /** Called after every chunk; draws when live and the last drawing is old enough. */
    void update(long bytes, long lines) {
        if (!live) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        lastDrawNanos = now;
        err.print(CLEAR_LINE + "athanor export: " + line(bytes, lines, now - startNanos));
        err.flush();
        drawn = true;
    }

    /** Removes the live line, if one was drawn. */
    void clear() {
        if (drawn) {
            err.print(CLEAR_LINE);
            err.flush();
            drawn = false;
        }
    }

    long elapsedNanos() {
        return nanoTime.getAsLong() - startNanos;
    }

    static String line(long bytes, long lines, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        String rate = seconds <= 0 ? "" : " · " + bytes((long) (bytes / seconds)) + "/s";
        return bytes(bytes) + " · " + String.format(Locale.ROOT, "%,d", lines) + (lines == 1 ? " line" : " lines") + rate;
    }

    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
