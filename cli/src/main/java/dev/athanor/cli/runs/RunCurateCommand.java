package dev.athanor.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.curate.CurateCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code athanor runs delete|restore|purge|move}: one call each to the REST curation endpoints
 * (query-service/README.md, "Trash and purge"); this class names the run, {@link CurateCommand} the
 * rest they share with the experiment commands.
 */
public abstract class RunCurateCommand extends CurateCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "A run id, or with --experiment the run's path "
            + "(a run in the trash is named by its id, as `athanor runs delete` and the Trash view show it).")
    String run;

    @Option(names = "--experiment", paramLabel = "NAME|ID", description = "The experiment RUN is a path in.")
    String experiment;

    /** The REST call for the run; answers what to print. */
    abstract String act(AthanorClient client, Resolver resolver, long runId);

    @Override
    protected String act(AthanorClient client, Resolver resolver) {
        ExperimentRef experimentRef = experiment == null ? null : resolver.experiment(experiment, project);
        return act(client, resolver, resolver.run(run, experimentRef));
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
            JsonNode restored = itemAction(client, "run", runId, "restore");
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
            JsonNode requested = itemAction(client, "run", runId, "purge");
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
            JsonNode moved = client.write("POST", "/api/v1/runs/" + runId + "/move", Map.of("experiment", target.id()));
            return "run " + runId + " (" + moved.path("path").asText() + ") is now in experiment "
                    + moved.path("experiment").asText();
        }
    }
}
