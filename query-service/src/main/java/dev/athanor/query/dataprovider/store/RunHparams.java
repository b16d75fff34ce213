package dev.athanor.query.dataprovider.store;

/**
 * What ingest kept of a run's hparams records: they are folded into the run, not kept as series.
 *
 * @param hparamsJson   run.hparams: the session's values as typed JSON ({@code {}} when none)
 * @param configJson    run.hparams_config: the hparams experiment definition, or null
 * @param sessionStatus run.session_status: the session end's status name (e.g. STATUS_SUCCESS), or null
 * @param startTime     seconds of the run's first event, or null
 * @param endTime       seconds of the run's end, or null
 */
public record RunHparams(long runId, String run, String hparamsJson, String configJson, String sessionGroup,
                         String sessionStatus, Double startTime, Double endTime) {
}
