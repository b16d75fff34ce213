package dev.athanor.query.alerts.api;

/** The request body as documented in OpenAPI (the service reads it as a JSON object, to tell absent from null). */
public record AlertRuleBody(String name, String experiment, String filter, String condition, Webhook webhook) {

    public record Webhook(String url, String secret, String format) {
    }
}
