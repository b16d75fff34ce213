package dev.athanor.uploader.progress;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One log line in logfmt ({@code key=value}, values quoted when they need it). */
final class Logfmt {

    private Logfmt() {
    }

    static String line(Instant time, Reporter.Level level, String event, String message, Object... fields) {
        StringBuilder out = new StringBuilder(128);
        out.append("ts=").append(time.truncatedTo(ChronoUnit.MILLIS))
                .append(" level=").append(level.name().toLowerCase())
                .append(" logger=athanor.uploader event=").append(event);
        if (message != null) {
            out.append(" msg=");
            value(out, message);
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            out.append(' ').append(fields[i]).append('=');
            value(out, fields[i + 1]);
        }
        return out.toString();
    }

    private static void value(StringBuilder out, Object value) {
        String text = value instanceof Double d ? String.format("%.1f", d) : String.valueOf(value);
        boolean plain = !text.isEmpty() && text.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f);
        if (plain) {
            out.append(text);
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? ' ' : c);
            }
        }
        out.append('"');
    }
}
