package dev.athanor.query.alerts.service;

import dev.athanor.query.alerts.delivery.Notifications;
import dev.athanor.query.alerts.store.AlertRule;
import dev.athanor.query.alerts.store.AlertTransitions;
import dev.athanor.query.alerts.store.ConditionQuery;
import dev.athanor.query.alerts.store.PgAlertRuleStore;
import dev.athanor.query.alerts.store.RunVerdict;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Evaluates alert rules as the index changes (docs/alerts.md, "How rules are evaluated").
 *
 * <p>Every write of a run stamps it with its transaction id (run_change.change_xid, by a trigger) and
 * notifies {@code athanor_indexed}. A pass reads the runs stamped at or after the oldest
 * transaction that was still open at the previous pass (kept in alert_cursor), evaluates only the
 * rules whose scope (project, experiment) holds them, moves states, records events and deliveries,
 * and advances the cursor — all in one transaction, so a crash repeats a pass rather than losing
 * one. Passes run when a notification arrives and at least every poll interval; stall rules
 * also run on their schedule over running runs. One replica at a time makes passes
 * (pg_try_advisory_xact_lock); the others find the lock taken and leave it to that one, and the
 * conditional state writes would keep a second one from firing twice anyway.
 */
@ApplicationScoped
public class AlertEvaluator {

    private static final Logger LOG = Logger.getLogger(AlertEvaluator.class);
    /** pg_try_advisory_xact_lock key of evaluation passes ("alerts" as a number). */
    private static final long PASS_LOCK = 0x616c65727473L;
    private static final String CHANNEL = "athanor_indexed";

    private final Jdbc jdbc;
    private final PgAlertRuleStore rules;
    private final AlertTransitions transitions;
    private final Notifications notifications;
    private final DeliveryWorker deliveries;
    private final AlertMetrics metrics;
    private final AlertConfig config;
    private final WorkerThread worker = new WorkerThread("athanor-alert-evaluator");

    public AlertEvaluator(Jdbc jdbc, PgAlertRuleStore rules, AlertTransitions transitions, Notifications notifications,
                          DeliveryWorker deliveries, AlertMetrics metrics, AlertConfig config) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.transitions = transitions;
        this.notifications = notifications;
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        worker.start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    private void loop() {
        Instant nextStall = Instant.now();
        while (worker.running()) {
            try (Connection listen = jdbc.dataSource().getConnection()) {
                try (Statement st = listen.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = listen.unwrap(PGConnection.class);
                while (worker.running()) {
                    changePass();
                    if (!Instant.now().isBefore(nextStall)) {
                        stallPass();
                        nextStall = Instant.now().plus(config.stallInterval());
                    }
                    long wait = Math.max(1, Math.min(config.pollInterval().toMillis(),
                            Duration.between(Instant.now(), nextStall).toMillis()));
                    PGNotification[] woken = pg.getNotifications((int) wait);
                    if (woken != null && woken.length > 0) {
                        // Gather what the same burst of commits sent before reading the index.
                        pg.getNotifications(20);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!worker.running()) {
                    return;
                }
                LOG.warnf("alert evaluation: %s; retrying in %s", e.getMessage(), config.pollInterval());
                try {
                    Thread.sleep(config.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private record ChangedRun(long id, long experimentId, long projectId, Instant changedAt) {
    }

    /** One pass over what changed since the previous one; returns the transitions it made. */
    public int changePass() {
        return inPass(c -> {
            Optional<Long> from = jdbc.list(c, SqlFragment.of("SELECT from_xid FROM alert_cursor WHERE name = 'change' FOR UPDATE"),
                    rs -> rs.getLong(1)).stream().findFirst();
            long xmin = jdbc.list(c, SqlFragment.of("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"),
                    rs -> rs.getLong(1)).get(0);
            int made = 0;
            if (from.isPresent()) {
                List<ChangedRun> changed = jdbc.list(c, SqlFragment.of("SELECT r.id, r.experiment_id, e.project_id,"
                        + " c.changed_at FROM run_change c JOIN run r ON r.id = c.run_id JOIN experiment e ON e.id = r.experiment_id"
                        + " WHERE c.change_xid >= ? ORDER BY r.id", from.get()), rs -> new ChangedRun(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        Jdbc.getInstant(rs, "changed_at")));
                if (!changed.isEmpty()) {
                    made = evaluateChanged(c, changed);
                }
            }
            jdbc.list(c, SqlFragment.of("INSERT INTO alert_cursor (name, from_xid) VALUES ('change', ?) ON CONFLICT (name)"
                    + " DO UPDATE SET from_xid = greatest(alert_cursor.from_xid, EXCLUDED.from_xid) RETURNING 1", xmin), rs -> 1);
            return made;
        });
    }

    private int evaluateChanged(Connection c, List<ChangedRun> changed) throws SQLException {
        List<Long> projects = changed.stream().map(ChangedRun::projectId).distinct().toList();
        int made = 0;
        for (AlertRule rule : rules.rulesOfProjects(c, projects)) {
            List<Long> inScope = changed.stream().filter(r -> r.projectId() == rule.projectId()
                    && (rule.experimentId() == null || r.experimentId() == rule.experimentId())).map(ChangedRun::id).toList();
            made += evaluate(c, rule, inScope);
        }
        Instant now = Instant.now();
        changed.forEach(r -> {
            if (r.changedAt() != null) {
                metrics.lag(Duration.between(r.changedAt(), now));
            }
        });
        return made;
    }

    /** Stall rules over the running runs they cover; returns the transitions made. */
    public int stallPass() {
        return inPass(c -> {
            int made = 0;
            for (AlertRule rule : rules.stallRules(c)) {
                made += evaluate(c, rule, rules.liveRuns(c, rule));
            }
            return made;
        });
    }

    /** A new or changed rule, over the live runs it covers at once (older finished runs are left alone). */
    public int evaluateLiveRuns(long ruleId, long projectId) {
        return inPass(c -> {
            int made = 0;
            for (AlertRule rule : rules.rulesOfProjects(c, List.of(projectId))) {
                if (rule.id() == ruleId) {
                    made += evaluate(c, rule, rules.liveRuns(c, rule));
                }
            }
            return made;
        });
    }

    @FunctionalInterface
    private interface PassWork {
        int run(Connection c) throws SQLException;
    }

    /**
     * Runs one pass in one transaction under the pass lock; 0 when another replica holds it (its
     * pass covers the same changes).
     */
    private int inPass(PassWork work) {
        int made = jdbc.withConnection(c -> {
            c.setAutoCommit(false);
            try {
                boolean mine = jdbc.list(c, SqlFragment.of("SELECT pg_try_advisory_xact_lock(?)", PASS_LOCK),
                        rs -> rs.getBoolean(1)).get(0);
                int n = mine ? work.run(c) : 0;
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
        if (made > 0) {
            deliveries.wake();
        }
        return made;
    }

    /** One rule over a batch of runs, inside the pass; a rule PostgreSQL refuses is skipped (and counted). */
    private int evaluate(Connection c, AlertRule rule, List<Long> runIds) throws SQLException {
        if (runIds.isEmpty()) {
            return 0;
        }
        ConditionQuery query;
        try {
            query = new ConditionQuery(rule.filter(), rule.condition());
        } catch (RuntimeException e) {
            LOG.warnf("alert rule %d (%s) no longer parses: %s", rule.id(), rule.name(), e.getMessage());
            metrics.ruleError();
            return 0;
        }
        Savepoint before = c.setSavepoint();
        try {
            metrics.evaluated();
            List<RunVerdict> verdicts = query.evaluate(c, jdbc, runIds);
            Map<Long, Boolean> firing = transitions.firing(c, rule.id(), runIds);
            int made = 0;
            for (RunVerdict v : verdicts) {
                boolean was = firing.containsKey(v.runId());
                Optional<AlertTransitions.Transition> t = Optional.empty();
                if (v.fires() && !was) {
                    t = transitions.fire(c, rule.id(), v, (event, at) -> notifications.body(rule, query.condition(),
                            Notifications.FIRING, event, v, at));
                } else if (!v.fires() && was) {
                    t = transitions.resolve(c, rule.id(), v, (event, at) -> notifications.body(rule, query.condition(),
                            Notifications.RESOLVED, event, v, at));
                }
                if (t.isPresent()) {
                    made++;
                    metrics.transition(t.get().kind());
                    LOG.infof("alert rule %d (%s): %s for run %d (%s): %s", rule.id(), rule.name(), t.get().kind(),
                            v.runId(), v.run(), v.observed());
                }
            }
            c.releaseSavepoint(before);
            return made;
        } catch (SQLException e) {
            c.rollback(before);
            LOG.warnf("alert rule %d (%s) could not be evaluated: %s", rule.id(), rule.name(), e.getMessage());
            metrics.ruleError();
            return 0;
        }
    }
}
