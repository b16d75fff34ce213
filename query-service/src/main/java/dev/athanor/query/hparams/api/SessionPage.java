package dev.athanor.query.hparams.api;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.hparams.store.Session;
import java.util.List;

/** A page of sessions with the metric columns their {@code metrics} maps are keyed by. */
public record SessionPage(List<String> metricColumns, Page<Session> sessions) {
}
