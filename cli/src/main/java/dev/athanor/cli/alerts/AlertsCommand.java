package dev.athanor.cli.alerts;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code athanor alerts}: a project's alert rules (docs/alerts.md). */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Lists, creates and deletes alert rules: conditions on live runs that call a webhook.",
        subcommands = {AlertsListCommand.class, AlertsCreateCommand.class, AlertsDeleteCommand.class})
public final class AlertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The rules' API path of a project. */
    static String rules(String project) {
        return "/api/v1/projects/" + java.net.URLEncoder.encode(project, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "/alert-rules";
    }
}
