package dev.athanor.query.alerts.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves (rule, run) states inside the caller's transaction and, only for the write that changed
 * the state, records the event and its delivery (the outbox) in the same transaction. The writes
 * are conditional, so a second evaluator racing on the same run changes nothing and records nothing.
 */
public final class AlertTransitions {

    /** Builds a delivery's body once the event has its id. */
    @FunctionalInterface
    public interface BodyMaker {
        String body(long eventId, Instant at);
    }

    /** A recorded transition. */
    public record Transition(long eventId, long deliveryId, String kind) {
    }

    private final Jdbc jdbc;

    public AlertTransitions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The runs among {@code runIds} for which the rule fires now. */
    public Map<Long, Boolean> firing(Connection c, long ruleId, List<Long> runIds) throws SQLException {
        Map<Long, Boolean> out = new HashMap<>();
        jdbc.list(c, SqlFragment.builder().sql("SELECT run_id FROM alert_state WHERE state = 'FIRING' AND rule_id = ")
                .param(ruleId).sql(" AND run_id = ANY(").param(runIds).sql(")").build(), rs -> rs.getLong(1))
                .forEach(id -> out.put(id, true));
        return out;
    }

    /** FIRING, unless it already is. */
    public Optional<Transition> fire(Connection c, long ruleId, RunVerdict v, BodyMaker body) throws SQLException {
        boolean changed = !jdbc.list(c, SqlFragment.builder()
                .sql("INSERT INTO alert_state (rule_id, run_id, state, value, step, observed) VALUES (").param(ruleId)
                .sql(", ").param(v.runId()).sql(", 'FIRING', ").nullable("?::float8", v.value()).sql(", ")
                .nullable("?::bigint", v.step()).sql(", ").nullable("?::text", v.observed())
                .sql(") ON CONFLICT (rule_id, run_id) DO UPDATE SET state = 'FIRING', value = EXCLUDED.value,"
                        + " step = EXCLUDED.step, observed = EXCLUDED.observed, since = now()"
                        + " WHERE alert_state.state <> 'FIRING' RETURNING 1").build(), rs -> 1).isEmpty();
        return changed ? Optional.of(record(c, ruleId, v, "FIRING", body)) : Optional.empty();
    }

    /** RESOLVED, if it was FIRING. */
    public Optional<Transition> resolve(Connection c, long ruleId, RunVerdict v, BodyMaker body) throws SQLException {
        boolean changed = !jdbc.list(c, SqlFragment.builder().sql("UPDATE alert_state SET state = 'RESOLVED', value = ")
                .nullable("?::float8", v.value()).sql(", step = ").nullable("?::bigint", v.step()).sql(", observed = ")
                .nullable("?::text", v.observed()).sql(", since = now() WHERE rule_id = ").param(ruleId).sql(" AND run_id = ")
                .param(v.runId()).sql(" AND state = 'FIRING' RETURNING 1").build(), rs -> 1).isEmpty();
        return changed ? Optional.of(record(c, ruleId, v, "RESOLVED", body)) : Optional.empty();
    }

    /** A recorded event: its id and time. */
    public record Event(long id, Instant at) {
    }

    /** How a delivery attempted at once went (a test notification), to record with it. */
    public record Attempted(boolean delivered, Integer status, String error) {
    }

    /** An event without a state change: a test notification (no run). */
    public Event testEvent(Connection c, long ruleId, RunVerdict v) throws SQLException {
        return event(c, ruleId, null, "TEST", v);
    }

    /** An id for a delivery that is attempted before it is recorded (its X-Athanor-Delivery header). */
    public long newDeliveryId(Connection c) throws SQLException {
        return jdbc.list(c, SqlFragment.of("SELECT nextval(pg_get_serial_sequence('alert_delivery', 'id'))"),
                rs -> rs.getLong(1)).get(0);
    }

    /** The delivery of a test notification under the id it was sent with, and how its one attempt went. */
    public long attemptedDelivery(Connection c, long id, long eventId, long ruleId, String body, Attempted a)
            throws SQLException {
        return jdbc.list(c, SqlFragment.builder().sql("INSERT INTO alert_delivery (id, event_id, rule_id, state, body,"
                        + " attempts, last_status, last_error, finished_at) OVERRIDING SYSTEM VALUE VALUES (").param(id)
                .sql(", ").param(eventId).sql(", ").param(ruleId).sql(", ")
                .param(a.delivered() ? "DELIVERED" : "FAILED").sql(", ").param(body).sql(", 1, ")
                .nullable("?::integer", a.status()).sql(", ").nullable("?::text", a.error()).sql(", now()) RETURNING id").build(),
                rs -> rs.getLong(1)).get(0);
    }

    private Transition record(Connection c, long ruleId, RunVerdict v, String kind, BodyMaker body) throws SQLException {
        Event event = event(c, ruleId, v.runId(), kind, v);
        long delivery = jdbc.list(c, SqlFragment.builder().sql("INSERT INTO alert_delivery (event_id, rule_id, state, body)"
                        + " VALUES (").param(event.id()).sql(", ").param(ruleId).sql(", 'PENDING', ")
                .param(body.body(event.id(), event.at())).sql(") RETURNING id").build(), rs -> rs.getLong(1)).get(0);
        return new Transition(event.id(), delivery, kind);
    }

    private Event event(Connection c, long ruleId, Long runId, String kind, RunVerdict v) throws SQLException {
        return jdbc.list(c, SqlFragment.builder().sql("INSERT INTO alert_event (rule_id, run_id, kind, value, step,"
                        + " observed) VALUES (").param(ruleId).sql(", ").nullable("?::bigint", runId)
                .sql(", ").param(kind).sql(", ").nullable("?::float8", v.value()).sql(", ").nullable("?::bigint", v.step())
                .sql(", ").nullable("?::text", v.observed()).sql(") RETURNING id, at").build(),
                rs -> new Event(rs.getLong(1), rs.getTimestamp(2).toInstant())).get(0);
    }
}
