package dev.athanor.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerCall;
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

/** {@code athanor runs show RUN}: one run's attributes, hparams, tags grouped by plugin, and asset files. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows one run: status and times, its hparams, its tags grouped by plugin (data class, "
                + "number of points, first and last step), its asset files (profiler traces and other plugin "
                + "files: path, size, SHA-256), its history (finished, reopened by resumed training) and the "
                + "data ingest could not use (file, offset, what was wrong).",
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
            description = "table (default) or json: {\"run\": the API's run object, \"tags\": tags by plugin, "
                    + "\"assets\": the asset files, \"events\": status changes, \"problems\": ingest problems, "
                    + "as the API lists them}.")
    Format format;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return ServerCall.run(spec, server, (client, out) -> {
            Resolver resolver = new Resolver(client);
            ExperimentRef experimentRef = experiment == null ? null : resolver.experiment(experiment, project);
            long runId = resolver.run(run, experimentRef);
            JsonNode attributes = client.get("/api/v1/runs/" + runId, Query.of());
            JsonNode tags = client.get("/api/v1/runs/" + runId + "/tags", Query.of());
            ArrayNode assets = pages(client, "/api/v1/runs/" + runId + "/assets");
            JsonNode events = client.get("/api/v1/runs/" + runId + "/events", Query.of());
            ArrayNode problems = pages(client, "/api/v1/runs/" + runId + "/problems");
            if (format == Format.json) {
                ObjectNode all = client.json().createObjectNode();
                all.set("run", attributes);
                all.set("tags", tags);
                all.set("assets", assets);
                all.set("events", events);
                all.set("problems", problems);
                ServerCall.printJson(out, client, all);
            } else {
                print(out, attributes, tags);
                printAssets(out, assets);
                printHistory(out, events, problems);
            }
            return 0;
        });
    }

    /** Every item of a paged listing (the run's assets, its problems), following the pages. */
    static ArrayNode pages(AthanorClient client, String path) {
        ArrayNode all = client.json().createArrayNode();
        int offset = 0;
        while (true) {
            JsonNode page = client.get(path, Query.of().add("offset", offset).add("limit", 1000));
            page.path("items").forEach(all::add);
            JsonNode next = page.get("nextOffset");
            if (next == null || next.isNull()) {
                return all;
            }
            offset = next.asInt();
        }
    }

    static void printAssets(PrintWriter out, JsonNode assets) {
        if (assets.isEmpty()) {
            return;
        }
        long bytes = 0;
        for (JsonNode asset : assets) {
            bytes += asset.path("size").asLong();
        }
        out.println();
        out.println("assets (" + assets.size() + (assets.size() == 1 ? " file, " : " files, ") + bytes + " bytes)");
        TextTable table = new TextTable("PATH", "SIZE", "SHA-256").numeric(1);
        for (JsonNode asset : assets) {
            table.row(asset.path("path").asText(), asset.path("size").asText(),
                    asset.path("sha256").asText().substring(0, Math.min(16, asset.path("sha256").asText().length())));
        }
        table.print(out, "  ");
    }

    /** Status changes (finished, reopened by resumed training) and data ingest could not use, located. */
    static void printHistory(PrintWriter out, JsonNode events, JsonNode problems) {
        if (!events.isEmpty()) {
            out.println();
            out.println("history");
            TextTable table = new TextTable("AT", "EVENT", "DETAIL");
            for (JsonNode event : events) {
                table.row(Cells.localTime(event.get("at")), event.path("kind").asText(), event.path("detail").asText());
            }
            table.print(out, "  ");
        }
        if (!problems.isEmpty()) {
            out.println();
            out.println("problems (" + problems.size() + ": data ingest could not use; the rest was indexed)");
            TextTable table = new TextTable("FILE", "OFFSET", "KIND", "MESSAGE").numeric(1);
            for (JsonNode problem : problems) {
                table.row(Cells.value(problem.get("fileName")), Cells.value(problem.get("fileOffset")),
                        problem.path("kind").asText(), problem.path("message").asText());
            }
            table.print(out, "  ");
        }
    }

    static void print(PrintWriter out, JsonNode run, JsonNode tags) {
        TextTable about = new TextTable("run", run.path("path").asText());
        about.row("id", run.path("id").asText());
        about.row("experiment", run.path("experiment").asText() + " (id " + run.path("experimentId").asText() + ")");
        RunListing.STATE.forEach(attribute -> about.row(attribute.label(), attribute.cell().apply(run)));
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
