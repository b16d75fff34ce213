package dev.athanor.query.querylang.sql;

import dev.athanor.query.common.jdbc.SqlFragment;

/**
 * Where the series a metric reference names is found, relative to the run in scope (alias
 * {@code r}): a predicate over {@code series s}. Run listings look in the run itself; the hparams
 * view also looks in a session's sub-runs (train/, validation/).
 */
@FunctionalInterface
public interface MetricSeries {

    SqlFragment seriesPredicate(String tag);

    /** The run's own series with that tag (found through the unique (run_id, tag_hash) key's run_id prefix). */
    MetricSeries OWN_RUN = tag -> SqlFragment.of("s.run_id = r.id AND s.tag = ?", tag);
}
