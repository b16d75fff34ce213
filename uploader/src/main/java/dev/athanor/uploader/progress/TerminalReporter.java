package dev.athanor.uploader.progress;

import java.io.PrintStream;

/**
 * A live progress line on a terminal, redrawn in place a few times a second; events are printed
 * as ordinary lines above it.
 */
public final class TerminalReporter implements Reporter {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream out;
    private long lastDrawNanos = Long.MIN_VALUE;
    private String lastLine = "";

    public TerminalReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void event(Level level, String event, String message, Object... fields) {
        String prefix = switch (level) {
            case INFO -> "";
            case WARN -> "warning: ";
            case ERROR -> "error: ";
        };
        out.print(CLEAR_LINE);
        out.println("athanor upload: " + prefix + message);
        out.print(lastLine);
        out.flush();
    }

    @Override
    public void progress(ProgressSnapshot s, long nowNanos) {
        if (lastDrawNanos != Long.MIN_VALUE && nowNanos - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        lastDrawNanos = nowNanos;
        lastLine = line(s);
        out.print(CLEAR_LINE + lastLine);
        out.flush();
    }

    @Override
    public void finish(ProgressSnapshot s, String outcome, int exitCode, String message) {
        out.print(CLEAR_LINE);
        out.println("athanor upload: " + line(s));
        out.println("athanor upload: " + (exitCode == 0 ? "" : "error: ") + message);
        out.flush();
        lastLine = "";
    }

    static String line(ProgressSnapshot s) {
        StringBuilder line = new StringBuilder(120);
        line.append(s.state()).append(" · ")
                .append(s.runs()).append(s.runs() == 1 ? " run · " : " runs · ")
                .append(s.files()).append(s.files() == 1 ? " file · " : " files · ")
                .append(bytes(s.bytesAcked())).append(" acked");
        if (s.pendingBytes() > 0) {
            line.append(" (").append(bytes(s.pendingBytes())).append(" to go)");
        }
        line.append(" · ").append(count(s.recordsAcked())).append(" records · ")
                .append(bytes((long) s.bytesPerSecond())).append("/s");
        if (s.reconnects() > 0) {
            line.append(" · ").append(s.reconnects()).append(" reconnects");
        }
        if (s.problems() > 0) {
            line.append(" · ").append(s.problems()).append(s.problems() == 1 ? " problem" : " problems");
        }
        return line.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }

    static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 10_000_000) {
            return String.format("%.1fk", n / 1e3);
        }
        return String.format("%.1fM", n / 1e6);
    }
}
