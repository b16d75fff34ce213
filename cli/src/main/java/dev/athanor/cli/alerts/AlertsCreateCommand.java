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
import picocli.CommandLine.Spec;

/** {@code athanor alerts create}: a new rule (admins of the project). */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates an alert rule (--name, --condition and --url are needed). The condition is one of: a guard such as 'no nan in metrics.loss'"
                + " (fires when broken), a filter expression such as 'metrics.val_loss@last > 1.5' or"
                + " \"status = 'failed'\" (fires while it holds), either with 'after step N', or"
                + " 'no new points in metrics.loss for 15m'. The webhook's secret is read from an environment"
                + " variable, never from the command line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:created; prints the rule's id", "2:usage or server error: a bad condition, a refused URL,"
                + " not an admin of the project, server unreachable or failing"})
public final class AlertsCreateCommand implements Callable<Integer> {

    @Mixin
    RuleFieldOptions fields;

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
            for (String[] needed : new String[][] {{"name", "--name"}, {"condition", "--condition"}}) {
                if (!body.containsKey(needed[0])) {
                    throw new RuleFieldOptions.UsageProblem("a new rule needs " + needed[1]);
                }
            }
            if (!(body.get("webhook") instanceof Map<?, ?> webhook) || !webhook.containsKey("url")) {
                throw new RuleFieldOptions.UsageProblem("a new rule needs --url (its webhook)");
            }
        } catch (RuleFieldOptions.UsageProblem problem) {
            err.println("athanor alerts create: " + problem.getMessage());
            return 2;
        }
        return ServerCall.run(spec, server, (client, out) -> {
            JsonNode rule = client.write("POST", project.rules(), body);
            out.println("created alert rule " + rule.path("id").asText() + " (" + rule.path("name").asText() + "): "
                    + rule.path("condition").asText());
            return 0;
        });
    }
}
