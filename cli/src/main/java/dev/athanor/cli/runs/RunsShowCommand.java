package dev.athanor.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.FailureReport;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.cli.output.Cells;
import dev.athanor.cli.output.TextTable;
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

/** {@code athanor runs show RUN}: one run's attributes, hparams and tags grouped by plugin. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows one run: status and times, its hparams, and its tags grouped by plugin (data class, "
                + "number of points, first and last step).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the run was shown",
            "2:usage or server error: run or experiment not found, server unreachable or failing"
        })
public final class RunsShowCommand implements Callable<Integer> {

    enum Format { table, json }

    @Parameters(paramLabel = "RUN", description = "A run id, or with --experiment the run's path (as "
            + "`athanor runs list` shows it).")
    String run;

    @Option(names = "--experiment", paramLabel = "NAME|ID", description = "The experiment RUN is a path in.")
    String experiment;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look the experiment name up in this project only (default: ATHANOR_PROJECT, if set).")
    String project;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json: {\"run\": the API's run object, \"tags\": tags by plugin}.")
    Format format;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            AthanorClient client = server.connect();
            Resolver resolver = new Resolver(client);
            ExperimentRef experimentRef = experiment == null ? null : resolver.experiment(experiment, project);
            long runId = resolver.run(run, experimentRef);
            JsonNode attributes = client.get("/api/v1/runs/" + runId, Query.of());
            JsonNode tags = client.get("/api/v1/runs/" + runId + "/tags", Query.of());
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.json) {
                ObjectNode both = client.json().createObjectNode();
                both.set("run", attributes);
                both.set("tags", tags);
                out.println(client.json().writerWithDefaultPrettyPrinter().writeValueAsString(both));
            } else {
                print(out, attributes, tags);
            }
            out.flush();
            return 0;
        } catch (ClientFailure failure) {
            FailureReport.print(err, "athanor runs show", failure, Map.of());
            return 2;
        }
    }

    static void print(PrintWriter out, JsonNode run, JsonNode tags) {
        TextTable about = new TextTable("run", run.path("path").asText());
        about.row("id", run.path("id").asText());
        about.row("experiment", run.path("experiment").asText() + " (id " + run.path("experimentId").asText() + ")");
        about.row("status", run.path("status").asText());
        about.row("started", Cells.localTime(run.get("startedAt")));
        about.row("last event", Cells.localTime(run.get("lastEventAt")));
        if (run.hasNonNull("endedAt")) {
            about.row("ended", Cells.localTime(run.get("endedAt")));
        }
        String group = Cells.value(run.get("sessionGroup"));
        String sessionStatus = Cells.value(run.get("sessionStatus"));
        if (!group.isEmpty() || !sessionStatus.isEmpty()) {
            about.row("session", String.join(", ", java.util.stream.Stream.of(
                    sessionStatus.isEmpty() ? "" : "status " + sessionStatus, group.isEmpty() ? "" : "group " + group)
                    .filter(part -> !part.isEmpty()).toList()));
        }
        about.print(out);

        JsonNode hparams = run.get("hparams");
        if (hparams != null && hparams.isObject() && !hparams.isEmpty()) {
            out.println();
            out.println("hparams");
            TextTable table = new TextTable("NAME", "VALUE");
            hparams.properties().forEach(h -> table.row(h.getKey(), Cells.value(h.getValue())));
            table.print(out, "  ");
        }

        if (tags.isEmpty()) {
            out.println();
            out.println("no tags yet");
        }
        for (Map.Entry<String, JsonNode> plugin : tags.properties()) {
            int count = plugin.getValue().size();
            out.println();
            out.println(plugin.getKey() + " (" + count + (count == 1 ? " tag)" : " tags)"));
            TextTable table = new TextTable("TAG", "DATA CLASS", "POINTS", "FIRST STEP", "LAST STEP").numeric(2, 3, 4);
            for (JsonNode tag : plugin.getValue()) {
                table.row(tag.path("tag").asText(), tag.path("dataClass").asText(), tag.path("points").asText(),
                        Cells.value(tag.get("firstStep")), Cells.value(tag.get("lastStep")));
            }
            table.print(out, "  ");
        }
    }
}
