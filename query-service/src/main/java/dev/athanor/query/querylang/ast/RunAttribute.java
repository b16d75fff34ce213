package dev.athanor.query.querylang.ast;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Run attributes a filter can name, with the kind of value each holds. */
public enum RunAttribute {
    ID("id", Kind.INTEGER),
    NAME("name", Kind.TEXT),
    PATH("path", Kind.TEXT),
    EXPERIMENT("experiment", Kind.TEXT),
    STATUS("status", Kind.STATUS),
    GROUP("group", Kind.TEXT),
    STARTED("started", Kind.TIME),
    UPDATED("updated", Kind.TIME),
    ENDED("ended", Kind.TIME),
    // Metadata set over REST (PATCH /api/v1/runs/{id}), not from event files.
    DISPLAY_NAME("display_name", Kind.TEXT),
    NOTE("note", Kind.TEXT),
    COLOR("color", Kind.TEXT),
    LABEL("label", Kind.LABELS),
    PINNED("pinned", Kind.BOOL);

    /** LABELS: a set of strings; {@code label = "x"} holds when x is one of them. */
    public enum Kind {
        INTEGER, TEXT, STATUS, TIME, LABELS, BOOL
    }

    private final String keyword;
    private final Kind kind;

    RunAttribute(String keyword, Kind kind) {
        this.keyword = keyword;
        this.kind = kind;
    }

    public String keyword() {
        return keyword;
    }

    public Kind kind() {
        return kind;
    }

    public static Optional<RunAttribute> byKeyword(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.keyword.equals(lower)).findFirst();
    }

    public static List<String> keywords() {
        return Arrays.stream(values()).map(RunAttribute::keyword).toList();
    }
}
