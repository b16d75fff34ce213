package dev.athanor.cli.alerts;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The fields of an alert rule as options, shared by {@code create} (which needs name, condition
 * and url) and {@code update} (which sends only what is given: the server keeps the rest). The
 * webhook's secret is read from an environment variable, never from the command line, where it
 * would end up in shell histories and process lists.
 */
public final class RuleFieldOptions {

    @Option(names = "--name", paramLabel = "NAME", description = "The rule's name, unique in the project.")
    String name;

    @Option(names = "--condition", paramLabel = "CONDITION", description = "What fires the rule.")
    String condition;

    @Option(names = "--url", paramLabel = "URL", description = "The webhook to call (http or https).")
    String url;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Only this experiment's runs (default: the whole project).")
    String experiment;

    @Option(names = "--filter", paramLabel = "FILTER", description = "Only the runs this filter selects.")
    String filter;

    @Option(names = "--format", paramLabel = "json|slack",
            description = "The body: Athanor's JSON (the default of a new rule) or a Slack message ({\"text\": …}).")
    String format;

    @Option(names = "--secret-env", paramLabel = "VAR",
            description = "An environment variable holding the signing secret (at least 8 characters).")
    String secretEnv;

    /** A refusal of the options themselves, before anything is sent. */
    static final class UsageProblem extends Exception {
        UsageProblem(String message) {
            super(message);
        }
    }

    /** The request body with the fields given on the command line, and nothing else. */
    Map<String, Object> body() throws UsageProblem {
        Map<String, Object> body = new LinkedHashMap<>();
        putIfGiven(body, "name", name);
        putIfGiven(body, "experiment", experiment);
        putIfGiven(body, "filter", filter);
        putIfGiven(body, "condition", condition);
        Map<String, Object> webhook = new LinkedHashMap<>();
        putIfGiven(webhook, "url", url);
        putIfGiven(webhook, "format", format);
        if (secretEnv != null) {
            String secret = System.getenv(secretEnv);
            if (secret == null || secret.isEmpty()) {
                throw new UsageProblem("the environment variable " + secretEnv + " is not set");
            }
            webhook.put("secret", secret);
        }
        if (!webhook.isEmpty()) {
            body.put("webhook", webhook);
        }
        return body;
    }

    /** Sends the webhook's secret as null: the server removes it (notifications go unsigned). */
    @SuppressWarnings("unchecked")
    static void clearSecret(Map<String, Object> body) {
        ((Map<String, Object>) body.computeIfAbsent("webhook", k -> new LinkedHashMap<String, Object>())).put("secret", null);
    }

    private static void putIfGiven(Map<String, Object> into, String key, String value) {
        if (value != null) {
            into.put(key, value);
        }
    }
}
