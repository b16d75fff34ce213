package dev.athanor.query.scalars;

import dev.athanor.query.scalars.store.PgScalarStore;
import dev.athanor.query.scalars.store.ScalarStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgScalarStoreTest extends ScalarStoreContract {

    private final ScalarStore store = new PgScalarStore(PgStores.jdbc());

    @Override
    protected ScalarStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
