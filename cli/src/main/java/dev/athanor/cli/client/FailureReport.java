package dev.athanor.cli.client;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Prints a {@link ClientFailure} for a person: the server's sentence, and when it points into an
 * expression the command sent (a filter, an assertion), that expression with a caret under the column.
 */
public final class FailureReport {

    private FailureReport() {
    }

    /**
     * @param command     e.g. {@code athanor runs list}
     * @param expressions what was sent, by the name the server uses for it ({@code filter},
     *                    {@code sort}, {@code columns}, {@code assertions[0]}, ...)
     */
    public static void print(PrintWriter err, String command, ClientFailure failure, Map<String, String> expressions) {
        err.println(command + ": " + failure.getMessage());
        String expression = failure.where() == null ? null : expressions.get(failure.where());
        Integer column = failure.column();
        if (expression != null && column != null && column >= 1 && column <= expression.length() + 1
                && expression.indexOf('\n') < 0) {
            err.println("  " + expression);
            err.println("  " + " ".repeat(column - 1) + "^");
        }
        err.flush();
    }
}
