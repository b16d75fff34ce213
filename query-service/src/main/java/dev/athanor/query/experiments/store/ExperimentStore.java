package dev.athanor.query.experiments.store;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.util.Optional;

/** Reads experiments. Implementations must pass {@code ExperimentStoreContract}. */
public interface ExperimentStore {

    Page<Experiment> list(ExperimentQuery query, PageRequest page);

    Optional<Experiment> find(long id);

    /** The project of a visible (not trashed) experiment, without counting its runs as {@link #find} does. */
    Optional<String> projectOf(long id);

    /** Sets the description (and updated_at); false when the experiment does not exist. */
    boolean updateDescription(long id, String description);
}
