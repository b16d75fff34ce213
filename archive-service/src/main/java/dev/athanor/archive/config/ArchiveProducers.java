package dev.athanor.archive.config;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.policy.PolicyStore;
import dev.athanor.archive.share.ShareLinks;
import dev.athanor.archive.share.ShareMetrics;
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
import dev.athanor.archive.replication.Destination;
import dev.athanor.archive.replication.ReplicationCatalog;
import dev.athanor.archive.replication.ReplicationMetrics;
import dev.athanor.archive.replication.Replicator;
import dev.athanor.rawlog.HotRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Builds the store, catalog and tiering worker from {@link ArchiveConfig}. */
@ApplicationScoped
public class ArchiveProducers {

    private static final Logger LOG = Logger.getLogger(ArchiveProducers.class);

    @Produces
    @Singleton
    ObjectStore store(ArchiveConfig config) {
        ObjectStore store = StoreConfig.from(config).open();
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
    ShareLinks shareLinks(ObjectStore store, ArchiveCatalog catalog, MeterRegistry registry) {
        return new ShareLinks(store, catalog, Clock.systemUTC(), new ShareMetrics(registry));
    }

    @Produces
    @Singleton
    PolicyStore policies(AgroalDataSource dataSource) {
        return new PolicyStore(dataSource);
    }

    @Produces
    @Singleton
    ReplicationCatalog replicationCatalog(AgroalDataSource dataSource, ArchiveConfig config) {
        return new ReplicationCatalog(dataSource, config.store().name(), config.hot().node());
    }

    @Produces
    @Singleton
    Replicator replicator(ObjectStore store, ReplicationCatalog catalog, MeterRegistry registry, ArchiveConfig config) {
        List<Destination> destinations = new ArrayList<>();
        for (String name : config.replication().destinations().orElse(List.of())) {
            StoreConfig replica = StoreConfig.replica(name.trim(), config.replicas().get(name.trim()));
            ObjectStore opened = replica.open();
            LOG.infof("replication destination '%s': %s, prefix '%s'", name, opened.location(), replica.prefix());
            destinations.add(new Destination(replica.name(), opened, replica.prefix()));
        }
        Path scratch = config.replication().scratch()
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "athanor-replication"));
        return new Replicator(destinations, catalog, store, config.store().prefix(), config.tiering().verify(), scratch,
                new ReplicationMetrics(registry, destinations.stream().map(Destination::name).toList()));
    }

    void close(@Disposes Replicator replicator) throws IOException {
        replicator.close();
    }

    @Produces
    @Singleton
    TieringWorker worker(ObjectStore store, ArchiveCatalog catalog, AgroalDataSource dataSource, MeterRegistry registry,
                         ArchiveConfig config, Replicator replicator) {
        ArchiveConfig.Tiering t = config.tiering();
        TieringSettings settings = new TieringSettings(t.batchSize(), t.minSealedAge(), config.hot().deleteAfterVerify(),
                config.hot().keepFor(), t.coldAfter(), t.verify(), new Backoff(t.retryBase(), t.retryMax()),
                new Backoff(t.passBackoffBase(), t.passBackoffMax()));
        String scope = WorkerLock.workerScope(config.store().name(), config.hot().node());
        return new TieringWorker(store, catalog, new ArchiveLayout(config.store().prefix()),
                new HotRoot(config.hot().root()), new WorkerLock(dataSource, scope), new ArchiveMetrics(registry),
                settings, Clock.systemUTC(), replicator);
    }
}
