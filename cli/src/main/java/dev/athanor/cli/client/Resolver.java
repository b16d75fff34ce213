package dev.athanor.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what people type (experiment names, run paths) into the ids the REST API takes. A name
 * wins over an id that looks the same; a name that matches several experiments asks for --project.
 */
public final class Resolver {

    private final AthanorClient client;

    public Resolver(AthanorClient client) {
        this.client = client;
    }

    /**
     * The experiment called {@code nameOrId} (in {@code project}, when given), else the one with
     * that id. Not found is a {@link ClientFailure} naming what was looked for.
     */
    public ExperimentRef experiment(String nameOrId, String project) {
        String wanted = nameOrId.strip();
        JsonNode page = client.get("/api/v1/experiments", Query.of().add("name", wanted).add("project", project)
                .add("limit", 1000));
        List<ExperimentRef> matches = new ArrayList<>();
        page.path("items").forEach(item -> matches.add(ref(item)));
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "experiment '" + wanted + "' exists in "
                    + matches.size() + " projects (" + String.join(", ", matches.stream().map(ExperimentRef::project).toList())
                    + "); choose one with --project");
        }
        if (isId(wanted)) {
            try {
                ExperimentRef byId = ref(client.get("/api/v1/experiments/" + wanted, Query.of()));
                if (project == null || project.equals(byId.project())) {
                    return byId;
                }
            } catch (ClientFailure notFound) {
                if (notFound.kind() != ClientFailure.Kind.NOT_FOUND) {
                    throw notFound;
                }
            }
        }
        throw new ClientFailure(ClientFailure.Kind.NOT_FOUND, 404, "experiment '" + wanted + "' not found"
                + (project == null ? "" : " in project '" + project + "'") + (isId(wanted) ? " (by name or id)" : "")
                + " on " + client.server(), "experiment", null, null);
    }

    /**
     * The run {@code idOrPath}: with an experiment, the run at that path (else, if it is a number,
     * the run with that id); without one, a run id.
     */
    public long run(String idOrPath, ExperimentRef experiment) {
        String wanted = idOrPath.strip();
        if (experiment != null) {
            JsonNode page = client.get("/api/v1/runs", Query.of().add("experiment", experiment.id())
                    .add("filter", "path = " + quote(wanted)).add("limit", 2));
            JsonNode items = page.path("items");
            if (items.size() == 1) {
                return items.get(0).get("id").asLong();
            }
            if (isId(wanted)) {
                return Long.parseLong(wanted);
            }
            throw new ClientFailure(ClientFailure.Kind.NOT_FOUND, 404, "run '" + wanted + "' not found in experiment "
                    + experiment.label(), "run", null, null);
        }
        if (isId(wanted)) {
            return Long.parseLong(wanted);
        }
        throw new ClientFailure(ClientFailure.Kind.USAGE, "run '" + wanted + "' is not a run id; to name a run by "
                + "its path, give its experiment with --experiment");
    }

    private static ExperimentRef ref(JsonNode experiment) {
        return new ExperimentRef(experiment.get("id").asLong(), experiment.path("project").asText(),
                experiment.path("name").asText());
    }

    static boolean isId(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(Character::isDigit);
    }

    /** A string literal of the filter language. */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
