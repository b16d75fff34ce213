package dev.athanor.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code athanor check}: metric assertions over a run selection, for CI. Prints what it saw per
 * assertion and run; the exit code says whether everything held.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Checks assertions on runs, for CI: every ASSERTION must hold for every selected run. Prints a table "
                + "of assertion, run, the value seen and pass/FAIL.",
            "",
            "Assertions use the filter language, e.g. 'metrics.val_accuracy@last >= 0.9', "
                + "'metrics.loss@min < 0.1', 'no nan in metrics.loss', 'no inf in metrics.grad_norm', "
                + "'hparams.optimizer = \"adam\"'. Select runs with --experiment (and --filter) and/or --run."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every assertion holds for every selected run",
            "1:an assertion failed for some run, or the selection matched no runs (nothing was checked)",
            "2:usage or server error: bad option or assertion (the column is shown), experiment or run not found, "
                + "server unreachable or failing"
        })
public final class CheckCommand implements Callable<Integer> {

    enum Format { table, json }

    @Parameters(arity = "1..*", paramLabel = "ASSERTION", description = "An expression that must hold for every run.")
    List<String> assertions;

    @Option(names = "--experiment", paramLabel = "NAME|ID", description = "Check the runs of this experiment.")
    String experiment;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look the experiment name up in this project only (default: ATHANOR_PROJECT, if set).")
    String project;

    @Option(names = "--run", paramLabel = "RUN",
            description = "Check this run: an id, or with --experiment its path (repeatable).")
    List<String> runs;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Only the runs for which this expression holds.")
    String filter;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json: the API's verdict with every value seen.")
    Format format;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Map<String, String> sent = new HashMap<>();
        for (int i = 0; i < assertions.size(); i++) {
            sent.put("assertions[" + i + "]", assertions.get(i));
        }
        if (filter != null) {
            sent.put("filter", filter);
        }
        return ServerCall.run(spec, server, sent, (client, out) -> {
            if (experiment == null && (runs == null || runs.isEmpty())) {
                throw new ClientFailure(ClientFailure.Kind.USAGE,
                        "name the runs to check with --experiment (and optionally --filter) or --run");
            }
            Resolver resolver = new Resolver(client);
            ExperimentRef experimentRef = experiment == null ? null : resolver.experiment(experiment, project);
            List<Long> runIds = new ArrayList<>();
            for (String run : runs == null ? List.<String>of() : runs) {
                runIds.add(resolver.run(run, experimentRef));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("experiment", experimentRef == null ? null : experimentRef.id());
            body.put("runs", runIds.isEmpty() ? null : runIds);
            body.put("filter", filter);
            body.put("assertions", assertions);
            JsonNode verdict = client.post("/api/v1/checks", body);
            if (!verdict.has("passed")) {
                throw new ClientFailure(ClientFailure.Kind.BAD_RESPONSE, "the checks answer has no verdict ('passed'); "
                        + "is --server (" + client.server() + ") the Athanor query service?");
            }
            if (format == Format.json) {
                ServerCall.printJson(out, client, verdict);
            } else {
                CheckReport.print(out, verdict);
            }
            return verdict.get("passed").asBoolean() ? 0 : 1;
        });
    }
}
