package dev.athanor.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.cli.output.TextTable;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code athanor alerts list}: the rules of a project and the runs each fires for now. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lists a project's alert rules: id, name, scope, condition, webhook host, and the runs each"
                + " fires for now (with the step and what was seen).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:usage or server error: project not found, server unreachable or failing"})
public final class AlertsListCommand implements Callable<Integer> {

    enum Format { table, json }

    @Mixin
    ProjectOption project;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json (the API's rule objects).")
    Format format;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return ServerCall.run(spec, server, (client, out) -> {
            JsonNode rules = client.get(project.rules(), Query.of());
            if (format == Format.json) {
                ServerCall.printJson(out, client, rules);
            } else {
                TextTable table = new TextTable("ID", "NAME", "SCOPE", "CONDITION", "WEBHOOK", "FIRING").numeric(0).numeric(5);
                for (JsonNode rule : rules) {
                    String scope = rule.path("experiment").asText("(project)")
                            + (rule.hasNonNull("filter") ? " where " + rule.get("filter").asText() : "");
                    table.row(rule.path("id").asText(), rule.path("name").asText(), scope, rule.path("condition").asText(),
                            rule.path("webhook").path("url").asText() + " (" + rule.path("webhook").path("format").asText() + ")",
                            Integer.toString(rule.path("firing").size()));
                }
                table.print(out, "");
                for (JsonNode rule : rules) {
                    for (JsonNode f : rule.path("firing")) {
                        out.println("firing: rule " + rule.path("id").asText() + " (" + rule.path("name").asText() + ") for run "
                                + f.path("runId").asText() + " " + f.path("experiment").asText() + "/" + f.path("run").asText()
                                + ": " + f.path("observed").asText() + " since " + f.path("since").asText());
                    }
                }
            }
            return 0;
        });
    }
}
