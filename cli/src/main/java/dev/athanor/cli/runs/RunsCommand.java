package dev.athanor.cli.runs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code athanor runs}: the runs the query service knows. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists runs (with filters, sorting and metric columns), shows one run, deletes it to the trash, "
                + "restores or purges it, moves it to another experiment.",
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunCurateCommand.Delete.class,
            RunCurateCommand.Restore.class, RunCurateCommand.Purge.class, RunCurateCommand.Move.class})
public final class RunsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
