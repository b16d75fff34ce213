package dev.athanor.cli.alerts;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code athanor alerts}: a project's alert rules (docs/alerts.md). */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Alert rules: conditions on live runs that call a webhook. List, create, change, test and delete"
                + " them, and read what each has fired.",
        subcommands = {AlertsListCommand.class, AlertsCreateCommand.class, AlertsUpdateCommand.class,
                AlertsTestCommand.class, AlertsEventsCommand.class, AlertsDeleteCommand.class})
public final class AlertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
