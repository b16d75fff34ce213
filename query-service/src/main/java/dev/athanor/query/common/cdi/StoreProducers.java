package dev.athanor.query.common.cdi;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.assets.store.AssetFileReader;
import dev.athanor.query.assets.store.AssetStore;
import dev.athanor.query.assets.store.PgAssetStore;
import dev.athanor.query.curate.store.CurateStore;
import dev.athanor.query.curate.store.PgCurateStore;
import dev.athanor.query.experiments.store.ExperimentStore;
import dev.athanor.query.experiments.store.PgExperimentStore;
import dev.athanor.query.runs.store.PgRunStore;
import dev.athanor.query.runs.store.RunStore;
import dev.athanor.query.scalars.store.PgScalarStore;
import dev.athanor.query.scalars.store.ScalarStore;
import dev.athanor.query.common.series.SeriesLookup;
import dev.athanor.query.tensors.store.PgTensorStore;
import dev.athanor.query.tensors.store.TensorStore;
import dev.athanor.query.blobs.store.BlobStore;
import dev.athanor.query.blobs.store.PgBlobStore;
import dev.athanor.query.blobs.store.IngestReplicas;
import dev.athanor.query.blobs.store.RawSegmentReader;
import dev.athanor.query.common.auth.ForwardedAuthorization;
import dev.athanor.rawlog.RemoteSegmentSource;
import io.quarkus.arc.Arc;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import dev.athanor.query.archive.store.ArchiveStoreHolder;
import dev.athanor.query.archive.store.ArchivedSegments;
import dev.athanor.query.archive.store.RestoreMetrics;
import dev.athanor.query.archive.store.Restores;
import dev.athanor.query.history.store.PgRunHistoryStore;
import dev.athanor.query.history.store.RunHistoryStore;
import dev.athanor.query.hparams.store.HparamsStore;
import dev.athanor.query.hparams.store.PgHparamsStore;
import dev.athanor.query.export.store.ExportStore;
import dev.athanor.query.export.store.PgExportStore;
import dev.athanor.query.checks.store.CheckStore;
import dev.athanor.query.checks.store.PgCheckStore;
import dev.athanor.query.dataprovider.store.ExperimentSeriesStore;
import dev.athanor.query.dataprovider.store.PgExperimentSeriesStore;
import dev.athanor.query.compare.store.CompareStore;
import dev.athanor.query.compare.store.PgCompareStore;
import dev.athanor.query.views.store.PgViewStore;
import dev.athanor.query.views.store.ViewStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

/**
 * Wires the PostgreSQL store implementations. Stores are plain classes (no CDI inside) so the
 * contract tests can build them over any DataSource.
 */
@ApplicationScoped
public class StoreProducers {

    @Produces
    @Singleton
    Jdbc jdbc(AgroalDataSource dataSource, QueryConfig config) {
        return new Jdbc(dataSource, config.statementTimeout());
    }

    @Produces
    @Singleton
    CurateStore curateStore(Jdbc jdbc) {
        return new PgCurateStore(jdbc);
    }

    @Produces
    @Singleton
    ExperimentStore experimentStore(Jdbc jdbc) {
        return new PgExperimentStore(jdbc);
    }

    @Produces
    @Singleton
    RunStore runStore(Jdbc jdbc) {
        return new PgRunStore(jdbc);
    }

    @Produces
    @Singleton
    CompareStore compareStore(Jdbc jdbc) {
        return new PgCompareStore(jdbc);
    }

    @Produces
    @Singleton
    RunHistoryStore runHistoryStore(Jdbc jdbc) {
        return new PgRunHistoryStore(jdbc);
    }

    @Produces
    @Singleton
    ScalarStore scalarStore(Jdbc jdbc, QueryConfig config) {
        return new PgScalarStore(jdbc, config.sampling().maxOpenPoints());
    }

    @Produces
    @Singleton
    TensorStore tensorStore(Jdbc jdbc) {
        return new PgTensorStore(jdbc);
    }

    @Produces
    @Singleton
    SeriesLookup seriesLookup(Jdbc jdbc) {
        return new SeriesLookup(jdbc);
    }

    @Produces
    @Singleton
    ExperimentSeriesStore experimentSeriesStore(Jdbc jdbc) {
        return new PgExperimentSeriesStore(jdbc);
    }

    @Produces
    @Singleton
    AssetStore assetStore(Jdbc jdbc) {
        return new PgAssetStore(jdbc);
    }

    @Produces
    @Singleton
    AssetFileReader assetFileReader(QueryConfig config, IngestReplicas replicas) {
        return new AssetFileReader(config.raw().hotRoot(), replicas, replicas::channel, config.raw().replicaReadTimeout());
    }

    @Produces
    @Singleton
    RawSegmentReader rawSegmentReader(QueryConfig config, ArchivedSegments archive, IngestReplicas replicas,
                                      ForwardedAuthorization forwarded) {
        RemoteSegmentSource remote = new RemoteSegmentSource(replicas, replicas::channel,
                () -> Arc.container().requestContext().isActive() ? forwarded.header() : null,
                config.raw().replicaReadTimeout());
        return new RawSegmentReader(config.raw().hotRoot(), remote, archive);
    }

    @Produces
    @Singleton
    IngestReplicas ingestReplicas(Jdbc jdbc, QueryConfig config) {
        return new IngestReplicas(jdbc, config.raw().replicaSeenWithin());
    }

    void closeReplicas(@Disposes IngestReplicas replicas) throws InterruptedException {
        replicas.close();
    }

    @Produces
    @Singleton
    Restores restores(Jdbc jdbc, ArchiveStoreHolder store, QueryConfig config, MeterRegistry registry) {
        return new Restores(jdbc, store::get, config.archive().restoreKeepFor(), new RestoreMetrics(registry, jdbc));
    }

    @Produces
    @Singleton
    ArchivedSegments archivedSegments(Jdbc jdbc, ArchiveStoreHolder store, Restores restores) {
        return new ArchivedSegments(jdbc, store::get, store.name(), restores);
    }

    @Produces
    @Singleton
    BlobStore blobStore(Jdbc jdbc, RawSegmentReader segments) {
        return new PgBlobStore(jdbc, segments);
    }

    @Produces
    @Singleton
    HparamsStore hparamsStore(Jdbc jdbc) {
        return new PgHparamsStore(jdbc);
    }

    @Produces
    @Singleton
    ExportStore exportStore(AgroalDataSource dataSource, QueryConfig config) {
        return new PgExportStore(dataSource, config.export().fetchSize());
    }

    @Produces
    @Singleton
    CheckStore checkStore(Jdbc jdbc) {
        return new PgCheckStore(jdbc);
    }

    @Produces
    @Singleton
    ViewStore viewStore(Jdbc jdbc) {
        return new PgViewStore(jdbc);
    }
}
