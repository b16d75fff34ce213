package dev.athanor.cli;

import dev.athanor.cli.auth.LoginCommand;
import dev.athanor.cli.auth.LogoutCommand;
import dev.athanor.cli.alerts.AlertsCommand;
import dev.athanor.cli.check.CheckCommand;
import dev.athanor.cli.experiments.ExperimentsCommand;
import dev.athanor.cli.export.ExportCommand;
import dev.athanor.cli.inspect.InspectCommand;
import dev.athanor.cli.runs.RunsCommand;
import dev.athanor.cli.suite.UpCommand;
import dev.athanor.cli.tensorboard.TensorBoardCommand;
import dev.athanor.cli.importer.ImportCommand;
import dev.athanor.cli.upload.UploadCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code athanor} command: one binary for people at a terminal, CI pipelines and pods. */
@Command(
        name = "athanor",
        mixinStandardHelpOptions = true,
        versionProvider = AthanorVersion.class,
        description = "Athanor: experiment tracking for everything TensorBoard shows.",
        subcommands = {
            InspectCommand.class,
            UploadCommand.class,
            ImportCommand.class,
            RunsCommand.class,
            ExperimentsCommand.class,
            ExportCommand.class,
            CheckCommand.class,
            AlertsCommand.class,
            TensorBoardCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            UpCommand.class,
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class
        })
public final class AthanorCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AthanorCommand());
        // Completion is generated with `athanor generate-completion`; keep it out of the usage list.
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
