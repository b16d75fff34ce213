package dev.athanor.cli.testing;

import dev.athanor.cli.AthanorCommand;
import dev.athanor.cli.auth.DeviceLogin;
import dev.athanor.cli.auth.LoginCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs {@code athanor login} in this JVM and plays the person: when the command prints the
 * verification URL, {@code person} gets it (on another thread, as a browser would) while the
 * command polls. Records the waits between polls.
 */
public final class LoginRun {

    private static final Pattern URL = Pattern.compile("(https?://\\S+user_code=\\S+)");

    public record Outcome(int exitCode, String stdout, String stderr, List<Duration> pollWaits,
                          CompletableFuture<Void> person) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private LoginRun() {
    }

    public static Outcome run(Consumer<URI> person, Duration intervalOverride, String... args) {
        StringWriter out = new StringWriter();
        List<Duration> waits = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> personDone = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Writer watching = new Writer() {
            private boolean started;

            @Override
            public synchronized void write(char[] buf, int off, int len) {
                seen.append(buf, off, len);
                Matcher m = URL.matcher(seen);
                if (!started && m.find()) {
                    started = true;
                    URI uri = URI.create(m.group(1));
                    CompletableFuture.runAsync(() -> person.accept(uri)).whenComplete((v, e) -> {
                        if (e != null) {
                            personDone.completeExceptionally(e);
                        } else {
                            personDone.complete(null);
                        }
                    });
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        CommandLine commandLine = AthanorCommand.commandLine();
        LoginCommand login = commandLine.getSubcommands().get("login").getCommand();
        DeviceLogin.Sleeper recording = d -> {
            waits.add(d);
            Thread.sleep(d.toMillis());
            if (personDone.isCompletedExceptionally()) {
                // The browser part failed: stop polling instead of waiting for the code to expire.
                personDone.join();
            }
        };
        login.pollingForTests(recording, intervalOverride);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(watching, true));
        String[] full = new String[args.length + 1];
        full[0] = "login";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = commandLine.execute(full);
        synchronized (watching) {
            return new Outcome(code, out.toString(), seen.toString(), List.copyOf(waits), personDone);
        }
    }
}
