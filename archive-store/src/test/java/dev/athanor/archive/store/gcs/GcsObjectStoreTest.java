package dev.athanor.archive.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.ObjectStoreContract;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract against google-cloud-nio's in-memory GCS double, through google-cloud-storage. Public
 * so that every service that reads the archive runs it on its own classpath.
 */
public class GcsObjectStoreTest extends ObjectStoreContract {

    private GcsObjectStore store;

    @BeforeEach
    public void open() {
        Storage storage = LocalStorageHelper.getOptions().getService();
        store = new GcsObjectStore(storage, new GcsSettings("athanor-contract", Optional.empty(), Optional.empty(),
                Optional.empty(), "STANDARD", "ARCHIVE", 256 * 1024));
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected boolean presignSupported() {
        return false;
    }

    @Override
    protected void checkPresigned(URI url, byte[] expected) {
        assertThat(url.getQuery()).contains("X-Goog-Signature");
    }
}
