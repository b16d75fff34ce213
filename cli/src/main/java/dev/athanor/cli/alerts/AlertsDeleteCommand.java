package dev.athanor.cli.alerts;

import dev.athanor.cli.client.ServerCall;
import dev.athanor.cli.client.ServerOptions;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code athanor alerts delete ID}: removes a rule with its history and pending deliveries. */
@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Deletes an alert rule, with its history and any deliveries not yet made.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:deleted", "2:usage or server error: no such rule, not an admin, server unreachable or failing"})
public final class AlertsDeleteCommand implements Callable<Integer> {

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
            client.write("DELETE", project.rule(id), null);
            out.println("deleted alert rule " + id);
            return 0;
        });
    }
}
