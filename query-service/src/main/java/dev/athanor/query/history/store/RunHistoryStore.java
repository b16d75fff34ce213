package dev.athanor.query.history.store;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.util.List;

/** What ingest recorded about a run beside its data: status changes and located problems. */
public interface RunHistoryStore {

    /** Every status change of the run, oldest first. */
    List<RunEvent> events(long runId);

    /** The run's ingest problems, oldest first. */
    Page<IngestProblem> problems(long runId, PageRequest page);
}
