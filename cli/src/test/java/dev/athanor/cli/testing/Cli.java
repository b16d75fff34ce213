package dev.athanor.cli.testing;

import dev.athanor.cli.AthanorCommand;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the {@code athanor} command in this JVM and captures what it printed. */
public final class Cli {

    /** What one run of the command printed and returned. */
    public record Outcome(int exitCode, String stdout, String stderr) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Cli() {
    }

    /** Runs the command; what it prints to System.err (the uploader's log lines) is added to stderr. */
    public static synchronized Outcome run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        StringWriter stderr = new StringWriter();
        PrintStream capture = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
            CommandLine commandLine = AthanorCommand.commandLine();
            commandLine.setOut(new PrintWriter(new OutputStreamWriter(capture, StandardCharsets.UTF_8), true));
            commandLine.setErr(new PrintWriter(stderr, true));
            int code = commandLine.execute(args);
            capture.flush();
            return new Outcome(code, stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString() + systemErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
