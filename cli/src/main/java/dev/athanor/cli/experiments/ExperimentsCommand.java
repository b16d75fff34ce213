package dev.athanor.cli.experiments;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code athanor experiments}: renaming and curating experiments. */
@Command(name = "experiments", mixinStandardHelpOptions = true,
        description = "Renames an experiment, deletes it with its runs to the trash, restores or purges it.",
        subcommands = {ExperimentCurateCommand.Rename.class, ExperimentCurateCommand.Delete.class,
            ExperimentCurateCommand.Restore.class, ExperimentCurateCommand.Purge.class})
public final class ExperimentsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
