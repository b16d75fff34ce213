package dev.athanor.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code athanor alerts update ID}: changes the given fields of a rule; the others stay. */
@Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Changes an alert rule: only the fields given change. A changed scope or condition starts"
                + " the rule afresh (the runs it fires for are evaluated again, without notifications for what"
                + " it had already reported).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:changed; prints the rule as it is now", "2:usage or server error: nothing to change, a bad"
                + " condition, a refused URL, no such rule, not an admin, server unreachable or failing"})
public final class AlertsUpdateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The rule's id (as `athanor alerts list` shows it).")
    long id;

    @Mixin
    RuleFieldOptions fields;

    @Option(names = "--whole-project", description = "Drop the experiment scope: the rule watches every run of the project.")
    boolean wholeProject;

    @Option(names = "--no-filter", description = "Drop the rule's run filter.")
    boolean noFilter;

    @Option(names = "--no-secret", description = "Drop the webhook's signing secret (notifications go unsigned).")
    boolean noSecret;

    @Mixin
    ProjectOption project;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> body;
        try {
            body = fields.body();
            dropIf(wholeProject, "experiment", "--whole-project", "--experiment", body);
            dropIf(noFilter, "filter", "--no-filter", "--filter", body);
            if (noSecret) {
                if (body.get("webhook") instanceof Map<?, ?> webhook && webhook.containsKey("secret")) {
                    throw new RuleFieldOptions.UsageProblem("--no-secret and --secret-env contradict each other");
                }
                RuleFieldOptions.clearSecret(body);
            }
            if (body.isEmpty()) {
                throw new RuleFieldOptions.UsageProblem("nothing to change: give at least one field (see --help)");
            }
        } catch (RuleFieldOptions.UsageProblem problem) {
            err.println("athanor alerts update: " + problem.getMessage());
            return 2;
        }
        return ServerCall.run(spec, server, (client, out) -> {
            JsonNode rule = client.write("PUT", project.rule(id), body);
            out.println("changed alert rule " + rule.path("id").asText() + " (" + rule.path("name").asText() + "): "
                    + rule.path("condition").asText() + " → " + rule.path("webhook").path("url").asText() + " ("
                    + rule.path("webhook").path("format").asText() + ")");
            return 0;
        });
    }

    /** Sends {@code field} as null (the server removes it) when {@code drop} is set. */
    private static void dropIf(boolean drop, String field, String flag, String setter, Map<String, Object> body)
            throws RuleFieldOptions.UsageProblem {
        if (!drop) {
            return;
        }
        if (body.containsKey(field)) {
            throw new RuleFieldOptions.UsageProblem(flag + " and " + setter + " contradict each other");
        }
        body.put(field, null);
    }
}
