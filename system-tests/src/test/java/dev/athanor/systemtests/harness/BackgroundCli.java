package dev.athanor.systemtests.harness;

import dev.athanor.cli.AthanorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A long-running {@code athanor} command (e.g. {@code tensorboard}) in a thread of this JVM, its
 * output captured, stopped by interrupting it (as Ctrl-C ends the real one).
 */
public final class BackgroundCli implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private BackgroundCli(String... args) {
        thread = new Thread(() -> {
            try {
                CommandLine commandLine = AthanorCommand.commandLine();
                commandLine.setOut(new PrintWriter(out, true));
                commandLine.setErr(new PrintWriter(err, true));
                exit.complete(commandLine.execute(args));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "athanor-" + args[0]);
        thread.start();
    }

    public static BackgroundCli start(String... args) {
        return new BackgroundCli(args);
    }

    /**
     * Waits until standard output has a match of {@code pattern}; its first group.
     *
     * @throws AssertionError when the command ends first or the time is up, with what it printed
     */
    public String awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = pattern.matcher(stdout());
            if (matcher.find()) {
                return matcher.group(1);
            }
            if (exit.isDone()) {
                throw new AssertionError("the command ended before printing " + pattern + ": " + this);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + pattern + " within " + timeout.toSeconds() + " s: " + this);
    }

    /** Waits for the command to end by itself; its exit code. */
    public int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String stdout() {
        return out.toString();
    }

    public String stderr() {
        return err.toString();
    }

    /** Stops the command as Ctrl-C would and waits for it to end; its exit code. */
    public int stop() throws Exception {
        thread.interrupt();
        return awaitExit(Duration.ofSeconds(60));
    }

    @Override
    public void close() throws Exception {
        if (thread.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }
}
