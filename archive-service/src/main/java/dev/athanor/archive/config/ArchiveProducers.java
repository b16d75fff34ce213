package dev.athanor.archive.config;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.layout.HotRoot;
import dev.athanor.archive.policy.PolicyStore;
import dev.athanor.archive.share.ShareLinks;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.config.StoreConfig;
import dev.athanor.archive.tiering.ArchiveMetrics;
import dev.athanor.archive.tiering.Backoff;
import dev.athanor.archive.tiering.TieringSettings;
import dev.athanor.archive.tiering.TieringWorker;
import dev.athanor.archive.tiering.WorkerLock;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Builds the store, catalog and tiering worker from {@link ArchiveConfig}. */
@ApplicationScoped
public class ArchiveProducers {

    private static final Logger LOG = Logger.getLogger(ArchiveProducers.class);

    @Produces
    @Singleton
    ObjectStore store(ArchiveConfig config) {
        // One factory for every service, reading the same athanor.archive.* keys this mapping documents.
        Config mp = ConfigProvider.getConfig();
        ObjectStore store = StoreConfig.from(key -> mp.getOptionalValue(key, String.class)).open();
        LOG.infof("archive store '%s': %s, prefix '%s'", config.store().name(), store.location(), config.store().prefix());
        return store;
    }

    void close(@Disposes ObjectStore store) throws IOException {
        store.close();
    }

    @Produces
    @Singleton
    ArchiveCatalog catalog(AgroalDataSource dataSource, ArchiveConfig config) {
        return new ArchiveCatalog(dataSource, config.store().name(), config.hot().node(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    ShareLinks shareLinks(ObjectStore store, ArchiveCatalog catalog) {
        return new ShareLinks(store, catalog, Clock.systemUTC());
    }

    @Produces
    @Singleton
    PolicyStore policies(AgroalDataSource dataSource) {
        return new PolicyStore(dataSource);
    }

    @Produces
    @Singleton
    TieringWorker worker(ObjectStore store, ArchiveCatalog catalog, AgroalDataSource dataSource, MeterRegistry registry,
                         ArchiveConfig config) {
        ArchiveConfig.Tiering t = config.tiering();
        TieringSettings settings = new TieringSettings(t.batchSize(), t.minSealedAge(), config.hot().deleteAfterVerify(),
                config.hot().keepFor(), t.coldAfter(), t.verify(), new Backoff(t.retryBase(), t.retryMax()),
                new Backoff(t.passBackoffBase(), t.passBackoffMax()));
        // One worker per (store, ingest volume): replicas that see the same volume take turns.
        String scope = config.store().name() + "/" + config.hot().node().orElse("*");
        return new TieringWorker(store, catalog, new ArchiveLayout(config.store().prefix()),
                new HotRoot(config.hot().root()), new WorkerLock(dataSource, scope), new ArchiveMetrics(registry),
                settings, Clock.systemUTC());
    }
}
