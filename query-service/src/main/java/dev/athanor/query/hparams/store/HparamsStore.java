package dev.athanor.query.hparams.store;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.util.List;

/** The hparams view of an experiment. Implementations must pass {@code HparamsStoreContract}. */
public interface HparamsStore {

    /** The hparams the experiment's sessions set, in name order. */
    List<HparamColumn> hparams(long experimentId);

    /** The metrics found in sessions and their sub-runs, in (group, tag) order; at most {@code limit}. */
    List<MetricColumn> metrics(long experimentId, int limit);

    /** The hparams plugin's experiment configuration as stored (JSON), when a run carries one. */
    String config(long experimentId);

    Page<Session> sessions(HparamsQuery query, PageRequest page);
}
