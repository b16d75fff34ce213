package dev.athanor.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.cli.output.TextTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code athanor alerts events ID}: what a rule fired, resolved and tested, with how each delivery went. */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows a rule's history, newest first: firings, resolutions and tests, each with the run, the"
                + " step, what was seen, and how its deliveries to the webhook went.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "2:usage or server error: no such rule, server unreachable or failing"})
public final class AlertsEventsCommand implements Callable<Integer> {

    enum Format { table, json }

    @Parameters(paramLabel = "ID", description = "The rule's id (as `athanor alerts list` shows it).")
    long id;

    @Option(names = "--limit", paramLabel = "N", description = "At most this many events (the server's default when left out).")
    Integer limit;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json (the API's event objects).")
    Format format;

    @Mixin
    ProjectOption project;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return ServerCall.run(spec, server, (client, out) -> {
            JsonNode events = client.get(project.rule(id) + "/events", Query.of().add("limit", limit));
            if (format == Format.json) {
                ServerCall.printJson(out, client, events);
            } else {
                TextTable table = new TextTable("EVENT", "AT", "KIND", "RUN", "STEP", "OBSERVED", "DELIVERIES").numeric(0).numeric(4);
                for (JsonNode event : events) {
                    table.row(event.path("id").asText(), event.path("at").asText(), event.path("kind").asText(),
                            event.hasNonNull("runId") ? event.path("run").asText() + " (" + event.path("runId").asText() + ")" : "",
                            event.hasNonNull("step") ? event.get("step").asText() : "", event.path("observed").asText(),
                            deliveries(event.path("deliveries")));
                }
                table.print(out, "");
            }
            return 0;
        });
    }

    /** "delivered (HTTP 200)", "pending after 3 attempts (HTTP 503)", one per delivery. */
    static String deliveries(JsonNode deliveries) {
        List<String> said = new ArrayList<>();
        for (JsonNode d : deliveries) {
            int attempts = d.path("attempts").asInt();
            String last = d.hasNonNull("lastStatus") ? "HTTP " + d.get("lastStatus").asInt()
                    : d.hasNonNull("lastError") ? d.get("lastError").asText() : "";
            said.add(d.path("state").asText().toLowerCase(java.util.Locale.ROOT)
                    + (attempts == 1 ? "" : " after " + attempts + " attempts") + (last.isEmpty() ? "" : " (" + last + ")"));
        }
        return said.isEmpty() ? "none" : String.join("; ", said);
    }
}
