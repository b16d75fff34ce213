package dev.athanor.query.experiments;

import dev.athanor.query.experiments.store.ExperimentStore;
import dev.athanor.query.experiments.store.PgExperimentStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgExperimentStoreTest extends ExperimentStoreContract {

    private final ExperimentStore store = new PgExperimentStore(PgStores.jdbc());

    @Override
    protected ExperimentStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
