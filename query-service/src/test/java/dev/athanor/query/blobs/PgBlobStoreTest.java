package dev.athanor.query.blobs;

import dev.athanor.query.blobs.store.BlobStore;
import dev.athanor.query.blobs.store.PgBlobStore;
import dev.athanor.query.blobs.store.RawSegmentReader;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class PgBlobStoreTest extends BlobStoreContract {

    @TempDir
    static Path hotRoot;

    @Override
    protected BlobStore store() {
        return new PgBlobStore(PgStores.jdbc(), new RawSegmentReader(hotRoot, ArchivedBlobReadTest.noReplica(), ArchivedBlobReadTest.noArchive()));
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
