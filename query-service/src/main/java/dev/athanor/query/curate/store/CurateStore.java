package dev.athanor.query.curate.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Trash, restore, purge requests, renames and moves over the index (V1_5_9). */
public interface CurateStore {

    /** Where a run or experiment lives, trashed or not; empty when it does not exist. */
    record Place(long id, long experimentId, String experiment, String project, String name, boolean trashed,
                 boolean experimentTrashed, boolean purgeRequested, String status) {
    }

    Optional<Place> run(long runId);

    Optional<Place> experiment(long experimentId);

    /** True when the run went to the trash now (false: it already was). */
    boolean trashRun(long runId, String by);

    /** Trashes the experiment and every run of it not already in the trash. */
    boolean trashExperiment(long experimentId, String by);

    boolean restoreRun(long runId);

    /** Restores the experiment and the runs that went to the trash with it. */
    boolean restoreExperiment(long experimentId);

    /** Asks for the run's purge (idempotent). */
    void requestRunPurge(long runId, String reason, String by);

    /** Asks for the purge of every run of the experiment, and of the experiment once they are gone. */
    void requestExperimentPurge(long experimentId, String reason, String by);

    /** The project's legal hold as archive_policy holds it: who set it and when, or empty when there is none. */
    Optional<String> legalHold(String project);

    Footprint runFootprint(long runId);

    Footprint experimentFootprint(long experimentId);

    /** The trash of the given projects (null: every project), newest first. */
    List<TrashEntry> list(String project, Set<String> projects, Duration window, int limit);

    /** Moves the run; false when another run of the target has its path. */
    boolean moveRun(long runId, long targetExperimentId);

    /** Renames the experiment; false when another experiment of the project has the name. */
    boolean renameExperiment(long experimentId, String name);

    /** Runs and experiments in the trash for longer than {@code window} get purge requests; returns how many. */
    int requestExpiredPurges(Duration window, String by);

    /** Deletes experiments whose purge was asked for and that have no run left; returns their ids. */
    List<Long> deletePurgedExperiments();
}
