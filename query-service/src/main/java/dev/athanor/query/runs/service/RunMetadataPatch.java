package dev.athanor.query.runs.service;

import dev.athanor.query.common.api.TextField;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.runs.store.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates the body of {@code PATCH /api/v1/runs/{runId}} into the run columns it sets. Only the
 * fields present change; {@code null} (or an empty string) clears a text field. Every refusal is a
 * 400 naming the field ({@code body.labels[2]}) and what is allowed.
 *
 * <ul>
 *   <li>{@code displayName}: text, 1–256 characters, no control characters</li>
 *   <li>{@code labels}: at most 32 distinct labels, each 1–64 characters of letters, digits and
 *       {@code . _ - : / = +}, starting with a letter or digit (kept in the order given)</li>
 *   <li>{@code note}: Markdown, at most 65,536 characters (no NUL)</li>
 *   <li>{@code color}: {@code #rrggbb} (stored lower case)</li>
 *   <li>{@code pinned}: true or false</li>
 * </ul>
 */
public final class RunMetadataPatch {

    public static final int MAX_DISPLAY_NAME = 256;
    public static final int MAX_LABELS = 32;
    public static final int MAX_LABEL = 64;
    public static final int MAX_NOTE = 65_536;
    static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    private RunMetadataPatch() {
    }

    /** Column name → value to store (null clears), in a fixed order; never empty. */
    public static Map<String, Object> columns(Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw new BadInputException("body", "a JSON object with any of displayName, labels, note, color, pinned"
                    + " is required");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String field = e.getKey();
            Object value = e.getValue();
            String where = "body." + field;
            switch (field) {
                case "displayName" -> out.put("display_name", TextField.check(where, value, MAX_DISPLAY_NAME, false));
                case "note" -> out.put("note", TextField.check(where, value, MAX_NOTE, true));
                case "color" -> {
                    String color = TextField.check(where, value, 7, false);
                    if (color != null && !COLOR.matcher(color).matches()) {
                        throw new BadInputException(where, "color must be #rrggbb (six hex digits); got '" + color + "'");
                    }
                    out.put("color", color == null ? null : color.toLowerCase(java.util.Locale.ROOT));
                }
                case "pinned" -> {
                    if (!(value instanceof Boolean b)) {
                        throw new BadInputException(where, "pinned must be true or false; got " + TextField.describe(value));
                    }
                    out.put("pinned", b);
                }
                case "labels" -> out.put("labels", labels(where, value));
                default -> throw new BadInputException(where, "unknown field '" + field
                        + "'; a run's metadata has displayName, labels, note, color, pinned");
            }
        }
        return out;
    }

    private static List<String> labels(String where, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new BadInputException(where, "labels must be an array of strings; got " + TextField.describe(value));
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String at = where + "[" + i + "]";
            if (!(items.get(i) instanceof String label)) {
                throw new BadInputException(at, "a label must be a string; got " + TextField.describe(items.get(i)));
            }
            if (!Run.LABEL.matcher(label).matches()) {
                throw new BadInputException(at, "a label is 1-" + MAX_LABEL + " characters of letters, digits and"
                        + " . _ - : / = +, starting with a letter or digit; got '" + abbreviate(label) + "'");
            }
            out.add(label);
        }
        if (out.size() > MAX_LABELS) {
            throw new BadInputException(where, "at most " + MAX_LABELS + " labels; got " + out.size());
        }
        return new ArrayList<>(out);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
