package dev.athanor.archive.scrub;

import dev.athanor.archive.config.ArchiveConfig;
import dev.athanor.archive.replication.Replicator;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.tiering.WorkerLock;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Builds the scrub from {@link ArchiveConfig}: the primary store and the replication destinations' stores. */
@ApplicationScoped
public class ScrubProducers {

    @Produces
    @Singleton
    ScrubCatalog scrubCatalog(AgroalDataSource dataSource, ArchiveConfig config) {
        return new ScrubCatalog(dataSource, config.store().name(), config.hot().node());
    }

    @Produces
    @Singleton
    ScrubMetrics scrubMetrics(MeterRegistry registry) {
        return new ScrubMetrics(registry);
    }

    @Produces
    @Singleton
    Scrubber scrubber(ScrubCatalog catalog, ObjectStore store, Replicator replicator, AgroalDataSource dataSource,
                      ScrubMetrics metrics, ArchiveConfig config) {
        Map<String, ObjectStore> destinations = new HashMap<>();
        for (String name : replicator.destinationNames()) {
            destinations.put(name, replicator.destinationStore(name).orElseThrow());
        }
        ArchiveConfig.Scrub s = config.scrub();
        // The tiering worker's lock: one replica scrubs, and never during a tiering pass.
        WorkerLock lock = new WorkerLock(dataSource, WorkerLock.workerScope(config.store().name(), config.hot().node()));
        return new Scrubber(catalog, store, destinations, lock, metrics,
                new ScrubSettings(s.every(), s.batchSize(), s.batchBytes().asLongValue(), s.verify()), Clock.systemUTC());
    }
}
