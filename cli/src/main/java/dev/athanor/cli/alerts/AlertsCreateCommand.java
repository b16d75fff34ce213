package dev.athanor.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.FailureReport;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code athanor alerts create}: a new rule (admins of the project). */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates an alert rule. The condition is one of: a guard such as 'no nan in metrics.loss'"
                + " (fires when broken), a filter expression such as 'metrics.val_loss@last > 1.5' or"
                + " \"status = 'failed'\" (fires while it holds), either with 'after step N', or"
                + " 'no new points in metrics.loss for 15m'. The webhook's secret is read from an environment"
                + " variable, never from the command line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:created; prints the rule's id", "2:usage or server error: a bad condition, a refused URL,"
                + " not an admin of the project, server unreachable or failing"})
public final class AlertsCreateCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The rule's name, unique in the project.")
    String name;

    @Option(names = "--condition", required = true, paramLabel = "CONDITION", description = "What fires the rule.")
    String condition;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The webhook to call (http or https).")
    String url;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Only this experiment's runs (default: the whole project).")
    String experiment;

    @Option(names = "--filter", paramLabel = "FILTER", description = "Only the runs this filter selects.")
    String filter;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|slack",
            description = "The body: Athanor's JSON (default) or a Slack message ({\"text\": …}).")
    String format;

    @Option(names = "--secret-env", paramLabel = "VAR",
            description = "An environment variable holding the signing secret (at least 8 characters).")
    String secretEnv;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT:-default}",
            description = "The project (default: ATHANOR_PROJECT, else default).")
    String project;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("url", url);
        webhook.put("format", format);
        if (secretEnv != null) {
            String secret = System.getenv(secretEnv);
            if (secret == null || secret.isEmpty()) {
                err.println("athanor alerts create: the environment variable " + secretEnv + " is not set");
                return 2;
            }
            webhook.put("secret", secret);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (experiment != null) {
            body.put("experiment", experiment);
        }
        if (filter != null) {
            body.put("filter", filter);
        }
        body.put("condition", condition);
        body.put("webhook", webhook);
        try {
            AthanorClient client = server.connect();
            JsonNode rule = client.write("POST", AlertsCommand.rules(project), body);
            spec.commandLine().getOut().println("created alert rule " + rule.path("id").asText() + " ("
                    + rule.path("name").asText() + "): " + rule.path("condition").asText());
            return 0;
        } catch (ClientFailure failure) {
            FailureReport.print(err, "athanor alerts create", failure, Map.of());
            return 2;
        }
    }
}
