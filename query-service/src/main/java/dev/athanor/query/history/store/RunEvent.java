package dev.athanor.query.history.store;

import java.time.Instant;

/**
 * One change of a run's status, as ingest recorded it.
 *
 * @param kind   FINISHED, FAILED (FinishRun) or REOPENED (data arrived after the run had ended)
 * @param detail what caused it, e.g. the file whose data reopened the run
 */
public record RunEvent(Instant at, String kind, String detail) {
}
