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
    ENDED("ended", Kind.TIME);

    public enum Kind {
        INTEGER, TEXT, STATUS, TIME
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
