package dev.athanor.query.checks.api;

import java.util.List;

/**
 * Assertions over a run selection, for CI.
 *
 * @param experiment experiment id (with filter, selects runs)
 * @param runs       run ids
 * @param filter     run filter
 * @param assertions each a filter expression that must hold for every selected run, e.g.
 *                   {@code metrics.val_accuracy@last >= 0.9} or {@code no nan in metrics.loss}
 */
public record CheckRequest(Long experiment, List<Long> runs, String filter, List<String> assertions) {
}
