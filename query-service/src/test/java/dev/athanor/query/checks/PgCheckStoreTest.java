package dev.athanor.query.checks;

import dev.athanor.query.checks.store.CheckStore;
import dev.athanor.query.checks.store.PgCheckStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgCheckStoreTest extends CheckStoreContract {

    private final CheckStore store = new PgCheckStore(PgStores.jdbc());

    @Override
    protected CheckStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
