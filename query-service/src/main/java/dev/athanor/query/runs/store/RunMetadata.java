package dev.athanor.query.runs.store;

import java.util.List;

/** The metadata people set on a run (display name, labels, Markdown note, color, pinned), as stored. */
public record RunMetadata(String displayName, List<String> labels, String note, String color, boolean pinned) {
}
