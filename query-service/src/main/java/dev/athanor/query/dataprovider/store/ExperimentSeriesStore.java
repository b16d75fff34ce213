package dev.athanor.query.dataprovider.store;

import java.util.List;

/**
 * What TensorBoard's data-provider protocol lists of one experiment: its runs, the plugins that
 * own data in it, and its series by plugin and data class. Reading the points goes through the
 * scalar, tensor and blob stores.
 */
public interface ExperimentSeriesStore {

    /** Every run, oldest first (runs without events last), then by name. */
    List<RunStart> runs(long experimentId);

    /**
     * The plugin names of the series with points, in name order, and {@code hparams} when a run
     * logged hparams records (kept in the run, not as series: {@link #hparamsRuns}).
     */
    List<String> plugins(long experimentId);

    /** The series the query selects that hold at least one point, by run name then tag. */
    List<SeriesSummary> series(SeriesQuery query);

    /** The runs that logged hparams records (values, a definition or a session end), by run name. */
    List<RunHparams> hparamsRuns(long experimentId);
}
