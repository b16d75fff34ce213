package dev.athanor.auth;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One line per write or delete, allowed or refused, in the log category {@value #CATEGORY} (route
 * it to its own handler or file with {@code quarkus.log.category."athanor.audit"...}). A line is
 * {@code key=value} pairs, values quoted when they hold spaces or quotes:
 *
 * <pre>audit at=2026-11-27T01:02:03.456Z outcome=allowed action=CreateRun project=demo experiment=12 run="mnist/lr-0.1" subject=14ad… user=service-account-uploader-demo client=uploader-demo</pre>
 */
public final class AuditLog {

    public static final String CATEGORY = "athanor.audit";

    public enum Outcome { ALLOWED, DENIED, FAILED }

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private AuditLog() {
    }

    /**
     * @param target ids the action touched, in order (experiment, run, …); null values are left out
     * @param detail why it was denied or failed, or null
     */
    public static void record(Caller caller, String action, String project, Map<String, ?> target, Outcome outcome,
                              String detail) {
        StringBuilder line = new StringBuilder("audit");
        pair(line, "at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        pair(line, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
        pair(line, "action", action);
        pair(line, "project", project);
        if (target != null) {
            target.forEach((k, v) -> pair(line, k, v == null ? null : v.toString()));
        }
        pair(line, "subject", caller.subject());
        pair(line, "user", caller.username());
        pair(line, "client", caller.clientId());
        pair(line, "detail", detail);
        if (outcome == Outcome.ALLOWED) {
            LOG.info(line);
        } else {
            LOG.warn(line);
        }
    }

    /** Formats one line without logging it (for tests and for callers that log elsewhere). */
    static void pair(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        line.append(' ').append(key).append('=');
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\')) {
            line.append('"');
            value.chars().forEach(c -> {
                if (c == '"' || c == '\\') {
                    line.append('\\').append((char) c);
                } else if (c < ' ') {
                    line.append(String.format("\\u%04x", c));
                } else {
                    line.append((char) c);
                }
            });
            line.append('"');
        } else {
            line.append(value);
        }
    }
}
