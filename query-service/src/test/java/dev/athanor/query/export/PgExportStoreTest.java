package dev.athanor.query.export;

import dev.athanor.query.export.store.ExportStore;
import dev.athanor.query.export.store.PgExportStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;

class PgExportStoreTest extends ExportStoreContract {

    private final ExportStore store = new PgExportStore(PgStores.dataSource(), 2);

    @Override
    protected ExportStore store() {
        return store;
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }
}
