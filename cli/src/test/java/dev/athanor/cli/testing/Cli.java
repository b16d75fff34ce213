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

    public static synchronized Outcome run(String... args) {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter stderr = new StringWriter();
        PrintStream capture = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            CommandLine commandLine = AthanorCommand.commandLine();
            commandLine.setOut(new PrintWriter(new OutputStreamWriter(capture, StandardCharsets.UTF_8), true));
            commandLine.setErr(new PrintWriter(stderr, true));
            int code = commandLine.execute(args);
            capture.flush();
            return new Outcome(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString());
        } finally {
            System.setOut(originalOut);
        }
    }
}
