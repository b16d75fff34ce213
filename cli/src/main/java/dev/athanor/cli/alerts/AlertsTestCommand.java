package dev.athanor.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code athanor alerts test ID}: one sample notification to the rule's webhook now, so a team
 * sees its channel receive one before a real run fails. The exit code says whether it arrived, so
 * a setup script can check its webhook.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sends one sample notification to the rule's webhook now (signed as real ones are) and"
                + " says what the webhook answered. It is recorded in the rule's history (`athanor alerts events`).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the webhook took it (a 2xx answer)", "1:sent, but the webhook refused it or could not be reached",
                "2:usage or server error: no such rule, not an admin, server unreachable or failing"})
public final class AlertsTestCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The rule's id (as `athanor alerts list` shows it).")
    long id;

    @Mixin
    ProjectOption project;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return ServerCall.run(spec, server, (client, out) -> {
            JsonNode result = client.write("POST", project.rule(id) + "/test", null);
            String answer = result.hasNonNull("status") ? "HTTP " + result.get("status").asInt() : "no answer";
            String error = result.hasNonNull("error") ? ": " + result.get("error").asText() : "";
            if (result.path("delivered").asBoolean()) {
                out.println("test notification of rule " + id + " delivered (" + answer + "), delivery "
                        + result.path("delivery").asText());
                return 0;
            }
            out.println("test notification of rule " + id + " not delivered (" + answer + error + "), delivery "
                    + result.path("delivery").asText());
            return 1;
        });
    }
}
