package dev.athanor.query.alerts.store;

/** A rule's checked fields, as the service hands them to the store to write. */
public record RuleFields(Long experimentId, String name, String filter, String condition, String kind,
                         String webhookUrl, String webhookSecret, String webhookFormat) {
}
