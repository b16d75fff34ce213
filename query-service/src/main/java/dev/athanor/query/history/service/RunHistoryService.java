package dev.athanor.query.history.service;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.history.store.IngestProblem;
import dev.athanor.query.history.store.RunEvent;
import dev.athanor.query.history.store.RunHistoryStore;
import dev.athanor.query.runs.service.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** A run's history and problems, for readers of its project (404 for anyone else, as for the run). */
@ApplicationScoped
public class RunHistoryService {

    private final RunHistoryStore store;
    private final RunService runs;

    public RunHistoryService(RunHistoryStore store, RunService runs) {
        this.store = store;
        this.runs = runs;
    }

    public List<RunEvent> events(long runId) {
        runs.get(runId);
        return store.events(runId);
    }

    public Page<IngestProblem> problems(long runId, PageRequest page) {
        runs.get(runId);
        return store.problems(runId, page);
    }
}
