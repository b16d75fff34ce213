package dev.athanor.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.FailureReport;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code athanor runs delete|restore|purge|move}: one call each to the REST curation endpoints
 * (query-service/README.md, "Trash and purge"); this class holds what they share — naming the run,
 * the server, printing the answer or the failure.
 */
public abstract class RunCurateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "A run id, or with --experiment the run's path "
            + "(a run in the trash is named by its id, as `athanor runs delete` and the Trash view show it).")
    String run;

    @Option(names = "--experiment", paramLabel = "NAME|ID", description = "The experiment RUN is a path in.")
    String experiment;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look the experiment name up in this project only (default: ATHANOR_PROJECT, if set).")
    String project;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    /** The REST call for the run; answers what to print. */
    abstract String act(AthanorClient client, Resolver resolver, long runId);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            AthanorClient client = server.connect();
            Resolver resolver = new Resolver(client);
            ExperimentRef experimentRef = experiment == null ? null : resolver.experiment(experiment, project);
            out.println(act(client, resolver, resolver.run(run, experimentRef)));
            out.flush();
            return 0;
        } catch (ClientFailure failure) {
            FailureReport.print(spec.commandLine().getErr(), "athanor runs " + spec.name(), failure, Map.of());
            return 2;
        }
    }

    static String footprint(JsonNode answer) {
        JsonNode f = answer.path("footprint");
        return f.path("series").asLong() + " series, " + f.path("hotFiles").asLong() + " hot files, "
                + f.path("objects").asLong() + " archived or replicated objects";
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Moves a run to the trash: hidden from every list, chart and export, nothing removed; "
                    + "restorable until its trash window ends (30 days by default), then purged.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the run is in the trash", "2:usage or server error (not found, not a writer, …)"})
    public static final class Delete extends RunCurateCommand {
        @Override
        String act(AthanorClient client, Resolver resolver, long runId) {
            JsonNode trashed = client.write("DELETE", "/api/v1/runs/" + runId, null);
            return "run " + runId + " (" + trashed.path("name").asText() + ") is in the trash until "
                    + trashed.path("purgeAfter").asText() + " (" + footprint(trashed) + "); restore it with "
                    + "`athanor runs restore " + runId + "`";
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Restores a run from the trash, exactly as it was.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the run is back", "2:usage or server error (not in the trash, purge requested, …)"})
    public static final class Restore extends RunCurateCommand {
        @Override
        String act(AthanorClient client, Resolver resolver, long runId) {
            JsonNode restored = client.post("/api/v1/runs/" + runId + "/restore", null);
            return "run " + runId + " (" + restored.path("path").asText() + ") is restored in experiment "
                    + restored.path("experiment").asText();
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Asks for the purge of a run in the trash (project admins): archive-service removes its "
                    + "index rows, hot files, archived and replicated objects, with an audit row per object. Refused "
                    + "while the project is under legal hold.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the purge is requested", "2:usage or server error (not an admin, legal hold, …)"})
    public static final class Purge extends RunCurateCommand {
        @Override
        String act(AthanorClient client, Resolver resolver, long runId) {
            // 202 Accepted: archive-service carries the request out in its next tiering pass.
            JsonNode requested = client.write("POST", "/api/v1/runs/" + runId + "/purge", null);
            return "purge of run " + runId + " (" + requested.path("name").asText() + ") requested: "
                    + footprint(requested) + " will be removed";
        }
    }

    @Command(name = "move", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Moves a finished run to another experiment of the same project.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the run moved", "2:usage or server error (name taken there, other project, …)"})
    public static final class Move extends RunCurateCommand {
        @Option(names = "--to", required = true, paramLabel = "NAME|ID", description = "The experiment to move it to.")
        String to;

        @Override
        String act(AthanorClient client, Resolver resolver, long runId) {
            ExperimentRef target = resolver.experiment(to, project);
            JsonNode moved = client.post("/api/v1/runs/" + runId + "/move", Map.of("experiment", target.id()));
            return "run " + runId + " (" + moved.path("path").asText() + ") is now in experiment "
                    + moved.path("experiment").asText();
        }
    }
}
