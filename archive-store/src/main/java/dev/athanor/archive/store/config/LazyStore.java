package dev.athanor.archive.store.config;

import dev.athanor.archive.store.ObjectStore;
import java.io.IOException;

/**
 * The configured store, opened on first use: a service that only reads archived segments now and
 * then (query-service, ingest's reindex) never touches, or needs, the store until it meets one.
 */
public final class LazyStore implements AutoCloseable {

    private final StoreConfig config;
    private volatile ObjectStore store;

    public LazyStore(StoreConfig config) {
        this.config = config;
    }

    public StoreConfig config() {
        return config;
    }

    /** Opens the store the first time; a configuration error surfaces here, naming the key. */
    public ObjectStore get() {
        ObjectStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) {
                    store = config.open();
                }
                s = store;
            }
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        ObjectStore s = store;
        if (s != null) {
            s.close();
        }
    }
}
