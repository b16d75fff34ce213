package dev.athanor.cli.curate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the curation commands ({@code athanor runs delete|restore|purge|move},
 * {@code athanor experiments rename|delete|restore|purge}) share: the server, the project names are
 * looked up in, one REST write whose answer is printed as a sentence, a failure printed as
 * {@code athanor <group> <command>: …} with exit code 2 ({@link ServerCall}).
 */
public abstract class CurateCommand implements Callable<Integer> {

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look experiment names up in this project only (default: ATHANOR_PROJECT, if set).")
    protected String project;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    /** The REST call; answers the sentence to print. */
    protected abstract String act(AthanorClient client, Resolver resolver);

    @Override
    public Integer call() throws IOException {
        return ServerCall.run(spec, server, (client, out) -> {
            out.println(act(client, new Resolver(client)));
            return 0;
        });
    }

    /** What a trash entry or purge answer says a purge removes. */
    protected static String footprint(JsonNode answer) {
        JsonNode f = answer.path("footprint");
        return f.path("series").asLong() + " series, " + f.path("hotFiles").asLong() + " hot files, "
                + f.path("objects").asLong() + " archived or replicated objects";
    }

    /**
     * POST {@code /api/v1/<kind>s/<id>/<action>} ({@code restore}, {@code purge}, …): the answer of any
     * 2xx (a purge is 202 Accepted, carried out later by archive-service).
     */
    protected static JsonNode itemAction(AthanorClient client, String kind, long id, String action) {
        return client.write("POST", "/api/v1/" + kind + "s/" + id + "/" + action, null);
    }

    /** An id of an item in the trash (which no name lookup finds), else a usage failure saying so. */
    protected static long trashedId(String what, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, what + "s in the trash are named by their id ('"
                    + value + "' is not one): `athanor " + what + "s delete` printed it, and the web UI's Trash lists it");
        }
    }
}
