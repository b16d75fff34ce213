package dev.athanor.query.alerts.service;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The alerts' meters on /q/metrics: rules evaluated, transitions, runs firing now (read from the
 * index when scraped, so every replica reports the same), deliveries by outcome, evaluation lag
 * (from a run's change being written to its evaluation).
 */
@ApplicationScoped
public class AlertMetrics {

    private final MeterRegistry registry;
    private final Counter evaluations;
    private final Counter ruleErrors;
    private final Timer lag;

    public AlertMetrics(MeterRegistry registry, Jdbc jdbc) {
        this.registry = registry;
        this.evaluations = Counter.builder("athanor.alerts.rule.evaluations")
                .description("rules evaluated over a batch of runs").register(registry);
        this.ruleErrors = Counter.builder("athanor.alerts.rule.errors")
                .description("rule evaluations PostgreSQL refused (logged; the rule is skipped for that batch)")
                .register(registry);
        this.lag = Timer.builder("athanor.alerts.evaluation.lag")
                .description("from a run's change being committed to its evaluation").register(registry);
        Gauge.builder("athanor.alerts.firing", jdbc, j -> j.one(SqlFragment.of(
                        "SELECT count(*) FROM alert_state WHERE state = 'FIRING'"), rs -> rs.getLong(1)).orElse(0L))
                .description("(rule, run) pairs firing now")
                // Held strongly: Micrometer keeps a gauge's object weakly, and nothing else here keeps this one.
                .strongReference(true).register(registry);
    }

    void evaluated() {
        evaluations.increment();
    }

    void ruleError() {
        ruleErrors.increment();
    }

    void lag(Duration d) {
        lag.record(d.isNegative() ? Duration.ZERO : d);
    }

    void transition(String kind) {
        registry.counter("athanor.alerts.transitions", "kind", kind.toLowerCase(java.util.Locale.ROOT)).increment();
    }

    /** outcome: delivered, retry, failed, refused. */
    void delivery(String outcome) {
        registry.counter("athanor.alerts.deliveries", "outcome", outcome).increment();
    }
}
