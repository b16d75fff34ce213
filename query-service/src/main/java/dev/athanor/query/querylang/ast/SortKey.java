package dev.athanor.query.querylang.ast;

/** One key of a sort order: an operand and a direction. Missing values sort last either way. */
public record SortKey(Operand operand, boolean descending) {
}
