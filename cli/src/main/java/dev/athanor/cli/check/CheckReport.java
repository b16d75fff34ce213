package dev.athanor.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.output.Cells;
import dev.athanor.cli.output.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The table of {@code athanor check}: one row per assertion and run, then the verdict. */
final class CheckReport {

    /** {@code nan_count(metrics.loss)} is shown as {@code nan_count} when the assertion names {@code metrics.loss}. */
    private static final Pattern FUNCTION_OF = Pattern.compile("(\\w+)\\((.+)\\)");

    private CheckReport() {
    }

    static void print(PrintWriter out, JsonNode verdict) {
        List<String[]> rows = new ArrayList<>();
        boolean anyDetail = false;
        for (JsonNode assertion : verdict.path("assertions")) {
            for (JsonNode result : assertion.path("results")) {
                String detail = result.hasNonNull("detail") ? result.get("detail").asText() : "";
                anyDetail |= !detail.isEmpty();
                rows.add(new String[] {assertion.path("assertion").asText(), result.path("run").asText(),
                    seen(assertion.path("assertion").asText(), result.get("values")), result.path("passed").asBoolean() ? "pass" : "FAIL", detail});
            }
        }
        if (!rows.isEmpty()) {
            TextTable table = anyDetail ? new TextTable("ASSERTION", "RUN", "VALUE SEEN", "RESULT", "DETAIL")
                    : new TextTable("ASSERTION", "RUN", "VALUE SEEN", "RESULT");
            for (String[] row : rows) {
                table.row(anyDetail ? row : new String[] {row[0], row[1], row[2], row[3]});
            }
            table.print(out);
            out.println();
        }
        boolean passed = verdict.path("passed").asBoolean();
        out.println((passed ? "PASSED: " : "FAILED: ") + verdict.path("message").asText());
    }

    /**
     * The one value an assertion looked at, or {@code name=value, ...} when it looked at several;
     * "-" for no value (the DETAIL column says why, when it matters).
     */
    static String seen(String assertion, JsonNode values) {
        if (values == null || !values.isObject() || values.isEmpty()) {
            return "-";
        }
        if (values.size() == 1) {
            return cell(values.elements().next());
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, JsonNode> field : values.properties()) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            String name = field.getKey();
            Matcher function = FUNCTION_OF.matcher(name);
            if (function.matches() && assertion.contains(function.group(2))) {
                name = function.group(1);
            }
            out.append(name).append('=').append(cell(field.getValue()));
        }
        return out.toString();
    }

    private static String cell(JsonNode value) {
        return value == null || value.isNull() ? "-" : Cells.value(value);
    }
}
