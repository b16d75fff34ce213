package dev.athanor.query.alerts.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outbox's side of delivery: claims due deliveries for one worker (FOR UPDATE SKIP LOCKED,
 * then a lease, so replicas share the work and a crashed worker's claims come back when the lease
 * ends) and records each attempt's outcome.
 */
public final class PgDeliveryStore {

    /** A claimed delivery, with its rule's current target. */
    public record Due(long id, long ruleId, String kind, String body, int attempts, Instant createdAt, String url,
                      String secret) {
    }

    private final Jdbc jdbc;

    public PgDeliveryStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Due> claim(int max, Duration lease) {
        return jdbc.list(SqlFragment.builder().sql("WITH due AS (SELECT id FROM alert_delivery WHERE state = 'PENDING'"
                        + " AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())"
                        + " ORDER BY next_attempt_at, id LIMIT ").param("?::integer", max)
                .sql(" FOR UPDATE SKIP LOCKED) UPDATE alert_delivery d SET attempts = d.attempts + 1, lease_until = now() + ")
                .param("?::interval", lease.toMillis() + " milliseconds")
                .sql(" FROM due, alert_rule r, alert_event v WHERE d.id = due.id AND r.id = d.rule_id AND v.id = d.event_id"
                        + " RETURNING d.id, d.rule_id, v.kind, d.body, d.attempts, d.created_at, r.webhook_url, r.webhook_secret")
                .build(), rs -> new Due(rs.getLong("id"), rs.getLong("rule_id"), rs.getString("kind"), rs.getString("body"),
                rs.getInt("attempts"), Jdbc.getInstant(rs, "created_at"), rs.getString("webhook_url"),
                rs.getString("webhook_secret")));
    }

    public void delivered(long id, int status) {
        jdbc.list(SqlFragment.builder().sql("UPDATE alert_delivery SET state = 'DELIVERED', last_status = ")
                .param("?::integer", status).sql(", last_error = NULL, lease_until = NULL, finished_at = now() WHERE id = ")
                .param(id).sql(" RETURNING id").build(), rs -> 1);
    }

    /** Another attempt after {@code delay}, or FAILED when that would be past the retry window. */
    public String retryOrFail(long id, Integer status, String error, Duration delay, Duration retryFor) {
        return jdbc.one(SqlFragment.builder().sql("UPDATE alert_delivery SET last_status = ").nullable("?::integer", status)
                .sql(", last_error = ").nullable("?::text", error).sql(", lease_until = NULL,"
                        + " state = CASE WHEN now() + ").param("?::interval", delay.toMillis() + " milliseconds")
                .sql(" > created_at + ").param("?::interval", retryFor.toMillis() + " milliseconds")
                .sql(" THEN 'FAILED' ELSE 'PENDING' END, next_attempt_at = now() + ")
                .param("?::interval", delay.toMillis() + " milliseconds")
                .sql(", finished_at = CASE WHEN now() + ").param("?::interval", delay.toMillis() + " milliseconds")
                .sql(" > created_at + ").param("?::interval", retryFor.toMillis() + " milliseconds")
                .sql(" THEN now() END WHERE id = ").param(id).sql(" RETURNING state").build(), rs -> rs.getString(1))
                .orElse("GONE");
    }
}
