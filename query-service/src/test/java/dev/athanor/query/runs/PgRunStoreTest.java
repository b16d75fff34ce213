package dev.athanor.query.runs;

import dev.athanor.query.runs.store.PgRunStore;
import dev.athanor.query.runs.store.RunStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgRunStoreTest extends RunStoreContract {

    private final RunStore store = new PgRunStore(PgStores.jdbc());

    @Override
    protected RunStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
