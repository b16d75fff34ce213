package dev.athanor.uploader.progress;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Plain structured lines for logs (not a terminal): every event, and a progress line every
 * {@code intervalNanos} while something changes. {@code quiet} keeps only warnings, errors and
 * the summary.
 */
public final class LogReporter implements Reporter {

    private final PrintStream out;
    private final Clock clock;
    private final long intervalNanos;
    private final boolean quiet;
    private long lastLineNanos = Long.MIN_VALUE;
    private ProgressSnapshot lastShown;

    public LogReporter(PrintStream out, Clock clock, long intervalNanos, boolean quiet) {
        this.out = out;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
        this.quiet = quiet;
    }

    @Override
    public void event(Level level, String event, String message, Object... fields) {
        if (quiet && level == Level.INFO) {
            return;
        }
        out.println(Logfmt.line(clock.instant(), level, event, message, fields));
        out.flush();
    }

    @Override
    public void progress(ProgressSnapshot s, long nowNanos) {
        if (quiet || (lastLineNanos != Long.MIN_VALUE && nowNanos - lastLineNanos < intervalNanos)) {
            return;
        }
        if (lastShown != null && sameCounts(lastShown, s)) {
            return; // idle: no line every interval saying nothing happened
        }
        lastLineNanos = nowNanos;
        lastShown = s;
        out.println(Logfmt.line(clock.instant(), Level.INFO, "progress", null, fields(s)));
        out.flush();
    }

    @Override
    public void finish(ProgressSnapshot s, String outcome, int exitCode, String message) {
        Object[] counts = fields(s);
        Object[] all = new Object[counts.length + 4];
        all[0] = "outcome";
        all[1] = outcome;
        all[2] = "exit_code";
        all[3] = exitCode;
        System.arraycopy(counts, 0, all, 4, counts.length);
        out.println(Logfmt.line(clock.instant(), exitCode == 0 ? Level.INFO : Level.ERROR, "done", message, all));
        out.flush();
    }

    static Object[] fields(ProgressSnapshot s) {
        return new Object[] {"state", s.state(), "runs", s.runs(), "files", s.files(), "bytes_acked", s.bytesAcked(),
                "records_acked", s.recordsAcked(), "pending_bytes", s.pendingBytes(),
                "rate_bytes_per_s", s.bytesPerSecond(), "reconnects", s.reconnects(), "problems", s.problems()};
    }

    private static boolean sameCounts(ProgressSnapshot a, ProgressSnapshot b) {
        return a.state().equals(b.state()) && a.runs() == b.runs() && a.files() == b.files()
                && a.bytesAcked() == b.bytesAcked() && a.pendingBytes() == b.pendingBytes()
                && a.reconnects() == b.reconnects() && a.problems() == b.problems();
    }
}
