package dev.athanor.query.assets;

import dev.athanor.query.assets.store.AssetStore;
import dev.athanor.query.assets.store.PgAssetStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class PgAssetStoreTest extends AssetStoreContract {

    @TempDir
    static Path hotRoot;

    @Override
    protected AssetStore store() {
        return new PgAssetStore(PgStores.jdbc());
    }

    @Override
    protected IndexTestData data() {
        return PgStores.data();
    }

    @Override
    protected Path hotRoot() {
        return hotRoot;
    }
}
