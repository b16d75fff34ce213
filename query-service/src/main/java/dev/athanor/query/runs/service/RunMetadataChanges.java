package dev.athanor.query.runs.service;

import dev.athanor.query.runs.store.RunMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a metadata PATCH changed, as the audit row says it: per changed field its old and new value
 * ({@code displayName: 'a' → 'b'}, {@code labels: [] → [baseline]}, {@code pinned: false → true};
 * {@code (none)} for a cleared value), except the note, of which only "changed" is said (it may be
 * long and is not the audit log's to copy). Fields sent with the value they had are left out.
 */
public final class RunMetadataChanges {

    /** Longest old or new value the row quotes in full. */
    static final int MAX_QUOTED = 80;

    private RunMetadataChanges() {
    }

    /** @param columns what {@link RunMetadataPatch#columns} made of the body */
    public static String describe(RunMetadata before, Map<String, Object> columns) {
        List<String> changes = new ArrayList<>();
        columns.forEach((column, value) -> {
            switch (column) {
                case "display_name" -> change(changes, "displayName", quoted(before.displayName()), quoted((String) value));
                case "color" -> change(changes, "color", plain(before.color()), plain((String) value));
                case "pinned" -> change(changes, "pinned", String.valueOf(before.pinned()), String.valueOf(value));
                case "labels" -> change(changes, "labels", String.valueOf(before.labels() == null ? List.of() : before.labels()),
                        String.valueOf(value));
                case "note" -> {
                    if (!Objects.equals(blankToNull(before.note()), blankToNull((String) value))) {
                        changes.add("note: " + (value == null ? "cleared" : before.note() == null ? "set" : "changed"));
                    }
                }
                default -> throw new IllegalArgumentException("no audit wording for column " + column);
            }
        });
        return changes.isEmpty() ? "none" : String.join("; ", changes);
    }

    private static void change(List<String> changes, String field, String before, String after) {
        if (!before.equals(after)) {
            changes.add(field + ": " + before + " → " + after);
        }
    }

    private static String quoted(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED) + "…";
        return "'" + shown + "'";
    }

    private static String plain(String value) {
        return value == null ? "(none)" : value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
