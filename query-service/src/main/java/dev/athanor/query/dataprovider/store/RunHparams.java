package dev.athanor.query.dataprovider.store;

/**
 * What ingest kept of a run's hparams records: they are folded into the run, not kept as series.
 *
 * @param hparamsJson   run.hparams: the session's values as typed JSON ({@code {}} when none)
 * @param configJson    run.hparams_config: the hparams experiment definition, or null
 * @param sessionStatus run.session_status: the session end's status name (e.g. STATUS_SUCCESS), or null
 * @param startTime     seconds of the run's first event, or null
 * @param endTime       seconds of the run's end, or null
 * @param session       what the session start and end records said of the session
 */
public record RunHparams(long runId, String run, String hparamsJson, String configJson, String sessionGroup,
                         String sessionStatus, Double startTime, Double endTime, SessionInfo session) {

    /**
     * The session's own fields, null where no record gave them (or the run was indexed before
     * ingest kept them).
     *
     * @param startTimeSecs session_start_info.start_time_secs
     * @param endTimeSecs   session_end_info.end_time_secs
     */
    public record SessionInfo(Double startTimeSecs, Double endTimeSecs, String modelUri, String monitorUrl) {
    }
}
