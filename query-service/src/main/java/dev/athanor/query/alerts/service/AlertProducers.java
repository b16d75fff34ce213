package dev.athanor.query.alerts.service;

import dev.athanor.query.alerts.delivery.Notifications;
import dev.athanor.query.alerts.delivery.TargetPolicy;
import dev.athanor.query.alerts.delivery.WebhookClient;
import dev.athanor.query.alerts.store.AlertTransitions;
import dev.athanor.query.alerts.store.PgAlertRuleStore;
import dev.athanor.query.alerts.store.PgDeliveryStore;
import dev.athanor.query.common.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/** Wires the alerts feature's plain classes (no CDI inside them, so tests build them directly). */
@ApplicationScoped
public class AlertProducers {

    @Produces
    @Singleton
    PgAlertRuleStore ruleStore(Jdbc jdbc) {
        return new PgAlertRuleStore(jdbc);
    }

    @Produces
    @Singleton
    PgDeliveryStore deliveryStore(Jdbc jdbc) {
        return new PgDeliveryStore(jdbc);
    }

    @Produces
    @Singleton
    AlertTransitions transitions(Jdbc jdbc) {
        return new AlertTransitions(jdbc);
    }

    @Produces
    @Singleton
    TargetPolicy targetPolicy(AlertConfig config) {
        return new TargetPolicy(config.allowedTargets().orElse(List.of()));
    }

    @Produces
    @Singleton
    WebhookClient webhookClient(TargetPolicy policy, AlertConfig config) {
        return new WebhookClient(policy, config.requestTimeout(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    Notifications notifications(AlertConfig config) {
        return new Notifications(config.publicUrl());
    }
}
