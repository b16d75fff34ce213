package dev.athanor.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The skeleton every command that asks the query service shares: connect with the command's
 * server options (address, token), make the calls, print the answer on stdout; a
 * {@link ClientFailure} (unreachable, refused, not found, a bad expression, a usage problem found
 * on the way) is printed as {@code athanor <command>: sentence}, with a caret under the column of
 * an expression the command sent, and is exit code 2.
 */
public final class ServerCall {

    /** The calls and the printing of their answer; returns the exit code. */
    @FunctionalInterface
    public interface Calls {
        int run(AthanorClient client, PrintWriter out) throws IOException;
    }

    private ServerCall() {
    }

    /** As {@link #run(CommandSpec, ServerOptions, Map, Calls)}, with no expressions to point into. */
    public static int run(CommandSpec spec, ServerOptions server, Calls calls) throws IOException {
        return run(spec, server, Map.of(), calls);
    }

    /**
     * @param spec        the command (its name prefixes a failure, its out and err are used)
     * @param expressions what was sent, by the name the server blames it by ({@code filter},
     *                    {@code assertions[0]}, ...); see {@link FailureReport}
     */
    public static int run(CommandSpec spec, ServerOptions server, Map<String, String> expressions, Calls calls)
            throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            int exitCode = calls.run(server.connect(), out);
            out.flush();
            return exitCode;
        } catch (ClientFailure failure) {
            FailureReport.print(spec.commandLine().getErr(), spec.qualifiedName(), failure, expressions);
            return 2;
        }
    }

    /** {@code answer} as the API gave it, indented (every command's {@code --format json}). */
    public static void printJson(PrintWriter out, AthanorClient client, JsonNode answer) throws IOException {
        out.println(client.json().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    }
}
