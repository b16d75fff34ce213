package dev.athanor.query.tensors;

import dev.athanor.query.tensors.store.PgTensorStore;
import dev.athanor.query.tensors.store.TensorStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgTensorStoreTest extends TensorStoreContract {

    private final TensorStore store = new PgTensorStore(PgStores.jdbc());

    @Override
    protected TensorStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
