package dev.athanor.cli.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.curate.CurateCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code athanor experiments rename|delete|restore|purge}: one call each to the experiment endpoints
 * (query-service/README.md); {@link CurateCommand} holds what they share with {@code athanor runs}.
 */
public abstract class ExperimentCurateCommand extends CurateCommand {

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "The experiment's name or id (one in the trash: "
            + "its id, as `athanor experiments delete` and the Trash view show it).")
    String experiment;

    static String runs(JsonNode answer) {
        long runs = answer.path("footprint").path("runs").asLong();
        return runs + (runs == 1 ? " run, " : " runs, ");
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Renames an experiment (writers). Its runs' files keep the layout they were written under; "
                    + "refused while a run of it is RUNNING or when the project has an experiment of that name.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:renamed", "2:usage or server error (name taken, a run running, not a writer, …)"})
    public static final class Rename extends ExperimentCurateCommand {
        @Parameters(index = "1", paramLabel = "NEW_NAME", description = "The new name.")
        String newName;

        @Override
        protected String act(AthanorClient client, Resolver resolver) {
            long id = resolver.experiment(experiment, project).id();
            JsonNode renamed = client.write("PATCH", "/api/v1/experiments/" + id, Map.of("name", newName));
            return "experiment " + id + " is now '" + renamed.path("name").asText() + "' (project "
                    + renamed.path("project").asText() + ")";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Moves an experiment and its runs to the trash (writers): hidden everywhere, nothing removed; "
                    + "restorable until the trash window ends (30 days by default), then purged.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the experiment is in the trash", "2:usage or server error (not found, not a writer, …)"})
    public static final class Delete extends ExperimentCurateCommand {
        @Override
        protected String act(AthanorClient client, Resolver resolver) {
            long id = resolver.experiment(experiment, project).id();
            JsonNode trashed = client.write("DELETE", "/api/v1/experiments/" + id, null);
            return "experiment " + id + " (" + trashed.path("name").asText() + ") is in the trash until "
                    + trashed.path("purgeAfter").asText() + " (" + runs(trashed) + footprint(trashed)
                    + "); restore it with `athanor experiments restore " + id + "`";
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Restores an experiment from the trash with the runs trashed with it, exactly as they were.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the experiment is back", "2:usage or server error (not in the trash, purge requested, …)"})
    public static final class Restore extends ExperimentCurateCommand {
        @Override
        protected String act(AthanorClient client, Resolver resolver) {
            long id = trashedId("experiment", experiment);
            JsonNode restored = itemAction(client, "experiment", id, "restore");
            return "experiment " + id + " (" + restored.path("name").asText() + ") is restored";
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Asks for the purge of an experiment in the trash and all its runs (project admins): "
                    + "archive-service removes their index rows, hot files, archived and replicated objects, with an "
                    + "audit row per object. Refused while the project is under legal hold.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the purge is requested", "2:usage or server error (not an admin, legal hold, …)"})
    public static final class Purge extends ExperimentCurateCommand {
        @Override
        protected String act(AthanorClient client, Resolver resolver) {
            long id = trashedId("experiment", experiment);
            JsonNode requested = itemAction(client, "experiment", id, "purge");
            return "purge of experiment " + id + " (" + requested.path("name").asText() + ") requested: "
                    + runs(requested) + footprint(requested) + " will be removed";
        }
    }
}
