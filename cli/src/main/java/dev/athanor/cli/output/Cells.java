package dev.athanor.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** How JSON values from the API read in a table or CSV cell. */
public final class Cells {

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Cells() {
    }

    /**
     * A value as text: numbers in the shortest form that reads back the same (no exponent for
     * everyday magnitudes), strings unquoted, null/missing empty, arrays and objects as JSON.
     */
    public static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        if (node.isNumber()) {
            return number(node.doubleValue());
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        return node.toString();
    }

    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        }
        double magnitude = Math.abs(value);
        if (value == 0 || (magnitude >= 1e-6 && magnitude < 1e15)) {
            String plain = new BigDecimal(Double.toString(value)).toPlainString();
            return plain.endsWith(".0") ? plain.substring(0, plain.length() - 2) : plain;
        }
        return Double.toString(value);
    }

    /** An ISO-8601 instant from the API in local time to the second, for tables; empty when absent. */
    public static String localTime(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        try {
            return LOCAL_TIME.format(Instant.parse(node.asText()));
        } catch (DateTimeParseException e) {
            return node.asText();
        }
    }

    /** {@code k=v k=v} for a flat JSON object (hparams), in the object's order. */
    public static String keyValues(JsonNode object) {
        if (object == null || !object.isObject()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(field.getKey()).append('=').append(value(field.getValue()));
        }
        return out.toString();
    }
}
