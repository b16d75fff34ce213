package dev.athanor.query.alerts.store;

import dev.athanor.query.common.error.ConflictException;
import dev.athanor.query.common.jdbc.DataAccessException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Alert rules, what fires now and the history of each rule, over alert_rule, alert_state, alert_event and alert_delivery. */
public final class PgAlertRuleStore {

    /** PostgreSQL: unique_violation. */
    private static final String SQLSTATE_UNIQUE = "23505";
    static final String RULE_COLUMNS = "a.id, a.project_id, p.name AS project, a.experiment_id, x.name AS experiment,"
            + " a.name, a.run_filter, a.condition, a.kind, a.webhook_url, a.webhook_secret, a.webhook_format,"
            + " a.created_by, a.created_at, a.updated_by, a.updated_at";
    static final String RULE_FROM = " FROM alert_rule a JOIN project p ON p.id = a.project_id"
            + " LEFT JOIN experiment x ON x.id = a.experiment_id";

    private final Jdbc jdbc;

    public PgAlertRuleStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Long> projectId(String project) {
        return jdbc.one(SqlFragment.of("SELECT id FROM project WHERE name = ?", project), rs -> rs.getLong(1));
    }

    public Optional<Long> experimentId(long projectId, String experiment) {
        return jdbc.one(SqlFragment.of("SELECT id FROM experiment WHERE project_id = ? AND name = ?", projectId, experiment),
                rs -> rs.getLong(1));
    }

    public List<AlertRule> list(long projectId) {
        return jdbc.list(SqlFragment.builder().sql("SELECT " + RULE_COLUMNS + RULE_FROM + " WHERE a.project_id = ")
                .param(projectId).sql(" ORDER BY lower(a.name), a.id").build(), PgAlertRuleStore::rule);
    }

    public Optional<AlertRule> get(long projectId, long ruleId) {
        return jdbc.one(SqlFragment.builder().sql("SELECT " + RULE_COLUMNS + RULE_FROM + " WHERE a.project_id = ")
                .param(projectId).sql(" AND a.id = ").param(ruleId).build(), PgAlertRuleStore::rule);
    }

    public AlertRule create(long projectId, RuleFields f, String by) {
        long id = unique(f.name(), () -> jdbc.one(SqlFragment.builder()
                .sql("INSERT INTO alert_rule (project_id, experiment_id, name, run_filter, condition, kind, webhook_url,"
                        + " webhook_secret, webhook_format, created_by, updated_by) VALUES (").param(projectId)
                .sql(", ").nullable("?::bigint", f.experimentId()).sql(", ").param(f.name()).sql(", ").nullable("?::text", f.filter())
                .sql(", ").param(f.condition()).sql(", ").param(f.kind()).sql(", ").param(f.webhookUrl()).sql(", ")
                .nullable("?::text", f.webhookSecret()).sql(", ").param(f.webhookFormat()).sql(", ").param(by).sql(", ").param(by)
                .sql(") RETURNING id").build(), rs -> rs.getLong(1)).orElseThrow());
        return get(projectId, id).orElseThrow();
    }

    /**
     * Replaces a rule's fields (a null secret keeps the stored one). When what it watches changed
     * (scope or condition), its states are dropped so it starts afresh; returns whether they were.
     */
    public Optional<AlertRule> update(long projectId, long ruleId, RuleFields f, boolean keepSecret, String by) {
        return jdbc.withConnection(c -> {
            c.setAutoCommit(false);
            try {
                Optional<AlertRule> before = jdbc.list(c, SqlFragment.builder().sql("SELECT " + RULE_COLUMNS + RULE_FROM
                        + " WHERE a.project_id = ").param(projectId).sql(" AND a.id = ").param(ruleId)
                        .sql(" FOR UPDATE OF a").build(), PgAlertRuleStore::rule).stream().findFirst();
                if (before.isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                AlertRule b = before.get();
                boolean watchesOtherThings = !java.util.Objects.equals(b.experimentId(), f.experimentId())
                        || !java.util.Objects.equals(b.filter(), f.filter()) || !b.condition().equals(f.condition());
                SqlFragment.Builder sql = SqlFragment.builder().sql("UPDATE alert_rule SET experiment_id = ")
                        .nullable("?::bigint", f.experimentId()).sql(", name = ").param(f.name()).sql(", run_filter = ")
                        .nullable("?::text", f.filter()).sql(", condition = ").param(f.condition()).sql(", kind = ").param(f.kind())
                        .sql(", webhook_url = ").param(f.webhookUrl()).sql(", webhook_format = ").param(f.webhookFormat())
                        .sql(", updated_by = ").param(by).sql(", updated_at = now()");
                if (!keepSecret) {
                    sql.sql(", webhook_secret = ").nullable("?::text", f.webhookSecret());
                }
                sql.sql(" WHERE id = ").param(ruleId);
                try (var ps = jdbc.prepare(c, sql.build())) {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    c.rollback();
                    if (SQLSTATE_UNIQUE.equals(e.getSQLState())) {
                        throw nameTaken(f.name());
                    }
                    throw e;
                }
                if (watchesOtherThings) {
                    try (var ps = jdbc.prepare(c, SqlFragment.of("DELETE FROM alert_state WHERE rule_id = ?", ruleId))) {
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
            return get(projectId, ruleId);
        });
    }

    public boolean delete(long projectId, long ruleId) {
        return !jdbc.list(SqlFragment.builder().sql("DELETE FROM alert_rule WHERE project_id = ").param(projectId)
                .sql(" AND id = ").param(ruleId).sql(" RETURNING id").build(), rs -> rs.getLong(1)).isEmpty();
    }

    /** What fires now for these rules, by rule id, newest first. */
    public Map<Long, List<FiringRun>> firing(List<Long> ruleIds) {
        Map<Long, List<FiringRun>> byRule = new LinkedHashMap<>();
        if (ruleIds.isEmpty()) {
            return byRule;
        }
        jdbc.list(SqlFragment.builder().sql("SELECT s.rule_id, s.run_id, r.path, r.experiment_id, e.name AS experiment,"
                + " s.value, s.step, s.observed, s.since FROM alert_state s JOIN run r ON r.id = s.run_id"
                + " JOIN experiment e ON e.id = r.experiment_id WHERE s.state = 'FIRING' AND s.rule_id = ANY(")
                .param(ruleIds).sql(") ORDER BY s.since DESC, s.run_id").build(), rs -> new FiringRun(rs.getLong("rule_id"),
                rs.getLong("run_id"), rs.getString("path"), rs.getLong("experiment_id"), rs.getString("experiment"),
                Values.json(Jdbc.getDouble(rs, "value")), Jdbc.getLong(rs, "step"), rs.getString("observed"),
                Jdbc.getInstant(rs, "since"), null))
                .forEach(f -> byRule.computeIfAbsent(f.ruleId(), k -> new ArrayList<>()).add(f));
        return byRule;
    }

    /** A rule's history, newest first, each entry with its deliveries. */
    public List<AlertEventRow> events(long ruleId, int limit) {
        Map<Long, List<AlertEventRow.Delivery>> deliveries = new LinkedHashMap<>();
        jdbc.list(SqlFragment.builder().sql("SELECT d.event_id, d.id, d.state, d.attempts, d.last_status, d.last_error,"
                + " d.created_at, d.next_attempt_at, d.finished_at FROM alert_delivery d WHERE d.rule_id = ").param(ruleId)
                .sql(" AND d.event_id IN (SELECT id FROM alert_event WHERE rule_id = ").param(ruleId)
                .sql(" ORDER BY id DESC LIMIT ").param(limit).sql(") ORDER BY d.id").build(), rs -> {
                    long event = rs.getLong("event_id");
                    String state = rs.getString("state");
                    deliveries.computeIfAbsent(event, k -> new ArrayList<>()).add(new AlertEventRow.Delivery(
                            rs.getLong("id"), state, rs.getInt("attempts"), Jdbc.getLong(rs, "last_status") == null ? null
                            : rs.getInt("last_status"), rs.getString("last_error"), Jdbc.getInstant(rs, "created_at"),
                            "PENDING".equals(state) ? Jdbc.getInstant(rs, "next_attempt_at") : null,
                            Jdbc.getInstant(rs, "finished_at")));
                    return event;
                });
        return jdbc.list(SqlFragment.builder().sql("SELECT v.id, v.kind, v.run_id, r.path, v.value, v.step, v.observed, v.at"
                        + " FROM alert_event v LEFT JOIN run r ON r.id = v.run_id WHERE v.rule_id = ").param(ruleId)
                .sql(" ORDER BY v.id DESC LIMIT ").param(limit).build(), rs -> new AlertEventRow(rs.getLong("id"),
                rs.getString("kind"), Jdbc.getLong(rs, "run_id"), rs.getString("path"), Values.json(Jdbc.getDouble(rs, "value")),
                Jdbc.getLong(rs, "step"), rs.getString("observed"), Jdbc.getInstant(rs, "at"),
                deliveries.getOrDefault(rs.getLong("id"), List.of())));
    }

    /** The rules of these projects, inside the caller's transaction. */
    public List<AlertRule> rulesOfProjects(Connection c, List<Long> projectIds) throws SQLException {
        return jdbc.list(c, SqlFragment.builder().sql("SELECT " + RULE_COLUMNS + RULE_FROM + " WHERE a.project_id = ANY(")
                .param(projectIds).sql(") ORDER BY a.id").build(), PgAlertRuleStore::rule);
    }

    /** Every stall rule, inside the caller's transaction. */
    public List<AlertRule> stallRules(Connection c) throws SQLException {
        return jdbc.list(c, SqlFragment.of("SELECT " + RULE_COLUMNS + RULE_FROM + " WHERE a.kind = 'STALL' ORDER BY a.id"),
                PgAlertRuleStore::rule);
    }

    /** The live runs a rule covers: running ones, and those it fires for now (so they can resolve). */
    public List<Long> liveRuns(Connection c, AlertRule rule) throws SQLException {
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id FROM run r JOIN experiment e ON e.id = r.experiment_id"
                + " WHERE e.project_id = ").param(rule.projectId());
        if (rule.experimentId() != null) {
            sql.sql(" AND r.experiment_id = ").param(rule.experimentId());
        }
        sql.sql(" AND (r.status = 'RUNNING' OR r.id IN (SELECT run_id FROM alert_state WHERE state = 'FIRING'"
                + " AND rule_id = ").param(rule.id()).sql(")) ORDER BY r.id");
        return jdbc.list(c, sql.build(), rs -> rs.getLong(1));
    }

    private static <T> T unique(String name, Supplier<T> write) {
        try {
            return write.get();
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && SQLSTATE_UNIQUE.equals(sql.getSQLState())) {
                throw nameTaken(name);
            }
            throw e;
        }
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("body.name", "a rule named '" + name + "' already exists in this project:"
                + " choose another name, or PUT that rule to change it");
    }

    static AlertRule rule(ResultSet rs) throws SQLException {
        return new AlertRule(rs.getLong("id"), rs.getLong("project_id"), rs.getString("project"),
                Jdbc.getLong(rs, "experiment_id"), rs.getString("experiment"), rs.getString("name"),
                rs.getString("run_filter"), rs.getString("condition"), rs.getString("kind"), rs.getString("webhook_url"),
                rs.getString("webhook_secret"), rs.getString("webhook_format"), rs.getString("created_by"),
                Jdbc.getInstant(rs, "created_at"), rs.getString("updated_by"), Jdbc.getInstant(rs, "updated_at"));
    }
}
