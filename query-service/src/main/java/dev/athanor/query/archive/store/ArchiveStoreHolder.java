package dev.athanor.query.archive.store;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.config.LazyStore;
import dev.athanor.archive.store.config.StoreConfig;
import dev.athanor.query.config.ArchiveStoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * The archive's object store, opened on first use with archive-service's {@code athanor.archive.*}
 * keys: a query-service that never meets an archived segment never touches (or needs) the store.
 */
@ApplicationScoped
public class ArchiveStoreHolder {

    private static final Logger LOG = Logger.getLogger(ArchiveStoreHolder.class);

    private final LazyStore store;

    public ArchiveStoreHolder(ArchiveStoreConfig config) {
        this.store = new LazyStore(StoreConfig.from(config));
    }

    /** The store's name in the catalog (archive_object.store). */
    public String name() {
        return store.config().name();
    }

    public ObjectStore get() {
        return store.get();
    }

    void close(@Observes ShutdownEvent event) {
        try {
            store.close();
        } catch (IOException e) {
            LOG.debugf("closing the archive store: %s", e.getMessage());
        }
    }
}
