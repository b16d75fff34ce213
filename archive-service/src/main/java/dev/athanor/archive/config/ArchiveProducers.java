package dev.athanor.archive.config;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.layout.HotRoot;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.store.gcs.GcsObjectStore;
import dev.athanor.archive.store.gcs.GcsSettings;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.s3.S3Settings;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Builds the store, catalog and tiering worker from {@link ArchiveConfig}. */
@ApplicationScoped
public class ArchiveProducers {

    private static final Logger LOG = Logger.getLogger(ArchiveProducers.class);

    @Produces
    @Singleton
    ObjectStore store(ArchiveConfig config) {
        ArchiveConfig.Store.Kind kind = config.store().kind();
        ObjectStore store = switch (kind) {
            case FILESYSTEM -> {
                try {
                    yield new FilesystemObjectStore(Files.createDirectories(config.filesystem().root()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the archive root " + config.filesystem().root(), e);
                }
            }
            case S3 -> {
                ArchiveConfig.S3 s3 = config.s3();
                yield new S3ObjectStore(new S3Settings(s3.endpoint(), s3.region(),
                        s3.bucket().orElseThrow(() -> new IllegalStateException(
                                "athanor.archive.store.kind=s3 needs athanor.archive.s3.bucket (ATHANOR_ARCHIVE_S3_BUCKET)")),
                        s3.pathStyle(), s3.accessKeyId(), s3.secretAccessKey(), s3.sse(), s3.kmsKeyId(), s3.warmClass(),
                        s3.coldClass(), s3.multipartThreshold().asLongValue(), s3.partSize().asLongValue()));
            }
            case GCS -> {
                ArchiveConfig.Gcs gcs = config.gcs();
                try {
                    yield GcsObjectStore.connect(new GcsSettings(gcs.bucket().orElseThrow(() -> new IllegalStateException(
                            "athanor.archive.store.kind=gcs needs athanor.archive.gcs.bucket (ATHANOR_ARCHIVE_GCS_BUCKET)")),
                            gcs.projectId(), gcs.credentialsFile(), gcs.host(), gcs.warmClass(), gcs.coldClass(),
                            Math.toIntExact(gcs.uploadChunk().asLongValue())));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the GCS credentials " + gcs.credentialsFile().orElse(null), e);
                }
            }
        };
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
