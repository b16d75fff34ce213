package dev.athanor.query.alerts.store;

/**
 * A rule's condition on one run, as evaluated now: whether it fires (selected by the rule's filter
 * and the condition holds), with the value and step it concerns and a sentence of what was seen.
 */
public record RunVerdict(long runId, String run, long experimentId, String experiment, boolean fires, Double value,
                         Long step, String observed) {
}
