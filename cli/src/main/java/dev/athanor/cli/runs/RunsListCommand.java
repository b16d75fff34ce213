package dev.athanor.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code athanor runs list}: runs matching a filter, as a table, JSON or CSV. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists runs, all or of one experiment, filtered and sorted by the query service.",
            "",
            "Filter examples: 'hparams.lr < 0.01 and metrics.val_accuracy@max >= 0.9', 'status = running', "
                + "'name ~ \"^lr=\"'. Sort keys: comma-separated, '-' for descending, e.g. -metrics.val_accuracy@max,name. "
                + "Columns add values per run, e.g. hparams.lr,metrics.loss@min (aggregates: last, min, max, count, "
                + "step=N)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the runs were listed (possibly none)",
            "2:usage or server error: bad option or expression, experiment not found, server unreachable or failing"
        })
public final class RunsListCommand implements Callable<Integer> {

    /** The server's largest page (athanor.query.paging.max-limit's default). */
    static final int PAGE_SIZE = 1000;

    enum Format { table, json, csv }

    @Option(names = "--experiment", paramLabel = "NAME|ID", description = "Only runs of this experiment.")
    String experiment;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look the experiment name up in this project only (default: ATHANOR_PROJECT, if set).")
    String project;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Only runs for which this expression holds.")
    String filter;

    @Option(names = "--sort", paramLabel = "KEYS", description = "Sort keys, e.g. -metrics.val_accuracy@max,name "
            + "(default: experiment, then path).")
    String sort;

    @Option(names = "--columns", paramLabel = "EXPRS",
            description = "Extra values per run, comma-separated (repeatable), e.g. hparams.lr,metrics.loss@min. "
                    + "Without it the table shows each run's hparams.")
    List<String> columns;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most N runs (default: ${DEFAULT-VALUE}); 0 lists all.")
    int limit;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "table (default), json (an array of the API's run objects) or csv (one row per run, "
                    + "a column per hparam and per --columns value).")
    Format format;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String joinedColumns = columns == null ? null : String.join(",", columns);
        Map<String, String> sent = new HashMap<>();
        sent.put("filter", filter);
        sent.put("sort", sort);
        sent.put("columns", joinedColumns);
        return ServerCall.run(spec, server, sent, (client, out) -> {
            if (limit < 0) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "--limit must be 0 (all) or more; got " + limit);
            }
            Long experimentId = experiment == null ? null : new Resolver(client).experiment(experiment, project).id();
            List<JsonNode> runs = new ArrayList<>();
            // Keyset paging: each page starts after the previous page's "next" cursor (as cheap as the
            // first page however deep); the total is the first page's (later pages are not counted).
            long total = -1;
            String cursor = null;
            while (true) {
                int pageSize = limit == 0 ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - runs.size());
                Query query = Query.of().add("experiment", experimentId)
                        .add("filter", filter).add("sort", sort).add("columns", joinedColumns)
                        .add("cursor", cursor).add("limit", pageSize);
                JsonNode page = client.fitsInUrl("/api/v1/runs", query) ? client.get("/api/v1/runs", query)
                        : client.post("/api/v1/runs/search", searchBody(client, experimentId, joinedColumns, cursor,
                                pageSize));
                page.path("items").forEach(runs::add);
                if (total < 0) {
                    total = page.path("total").asLong(runs.size());
                }
                JsonNode next = page.get("next");
                if (next == null || next.isNull() || (limit > 0 && runs.size() >= limit)) {
                    break;
                }
                cursor = next.asText();
            }
            switch (format) {
                case table -> {
                    if (runs.isEmpty()) {
                        err.println("athanor runs list: no runs" + (filter == null ? "" : " match the filter"));
                    } else {
                        RunListing.table(runs, experimentId == null, columns != null).print(out);
                    }
                }
                case json -> {
                    ArrayNode array = client.json().createArrayNode();
                    runs.forEach(array::add);
                    ServerCall.printJson(out, client, array);
                }
                case csv -> RunListing.csv(out, runs);
            }
            out.flush();
            if (runs.size() < total) {
                err.println("athanor runs list: showed " + runs.size() + " of " + total + " runs; --limit 0 lists all");
            }
            err.flush();
            return 0;
        });
    }

    /** The listing's parameters as POST /api/v1/runs/search takes them, for filters too long for a URL. */
    private ObjectNode searchBody(AthanorClient client, Long experimentId, String joinedColumns, String cursor,
            int pageSize) {
        ObjectNode body = client.json().createObjectNode();
        if (experimentId != null) {
            body.put("experiment", experimentId);
        }
        body.put("filter", filter);
        body.put("sort", sort);
        body.put("columns", joinedColumns);
        body.put("cursor", cursor);
        body.put("limit", pageSize);
        return body;
    }
}
