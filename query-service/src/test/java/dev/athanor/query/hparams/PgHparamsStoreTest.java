package dev.athanor.query.hparams;

import dev.athanor.query.hparams.store.HparamsStore;
import dev.athanor.query.hparams.store.PgHparamsStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgHparamsStoreTest extends HparamsStoreContract {

    private final HparamsStore store = new PgHparamsStore(PgStores.jdbc());

    @Override
    protected HparamsStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
