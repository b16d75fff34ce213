package dev.athanor.query.alerts.store;

import java.time.Instant;

/**
 * A stored rule. {@code webhookSecret} is kept to sign deliveries; the API never returns it.
 *
 * @param kind CHANGE (evaluated as runs change) or STALL (also on a schedule over running runs)
 */
public record AlertRule(long id, long projectId, String project, Long experimentId, String experiment, String name,
                        String filter, String condition, String kind, String webhookUrl, String webhookSecret,
                        String webhookFormat, String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {

    public static final String CHANGE = "CHANGE";
    public static final String STALL = "STALL";
}
