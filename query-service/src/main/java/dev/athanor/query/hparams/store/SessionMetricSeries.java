package dev.athanor.query.hparams.store;

import dev.athanor.query.common.jdbc.Trash;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.sql.MetricSeries;
import java.util.List;

/**
 * Metric references in the hparams view: {@code metrics.<key>} names a metric column when one has
 * that key (a session's own tag first, then a sub-run's), otherwise the session's own tag.
 */
final class SessionMetricSeries implements MetricSeries {

    private final List<MetricColumn> columns;

    SessionMetricSeries(List<MetricColumn> columns) {
        this.columns = columns;
    }

    @Override
    public SqlFragment seriesPredicate(String key) {
        MetricColumn match = null;
        for (MetricColumn c : columns) {
            if (c.key().equals(key) && (match == null || c.group().isEmpty())) {
                match = c;
            }
        }
        if (match == null || match.group().isEmpty()) {
            return MetricSeries.OWN_RUN.seriesPredicate(match == null ? key : match.tag());
        }
        return of(match);
    }

    static SqlFragment of(MetricColumn column) {
        if (column.group().isEmpty()) {
            return MetricSeries.OWN_RUN.seriesPredicate(column.tag());
        }
        return SqlFragment.builder()
                .sql("s.run_id = (SELECT r2.id FROM run r2 WHERE r2.experiment_id = r.experiment_id AND " + Trash.runVisible("r2") + " AND r2.path = r.path || '/' || ")
                .param("?::text", column.group()).sql(") AND s.tag = ").param(column.tag()).build();
    }
}
