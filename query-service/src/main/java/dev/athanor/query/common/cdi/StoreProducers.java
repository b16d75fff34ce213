package dev.athanor.query.common.cdi;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.experiments.store.ExperimentStore;
import dev.athanor.query.experiments.store.PgExperimentStore;
import dev.athanor.query.runs.store.PgRunStore;
import dev.athanor.query.runs.store.RunStore;
import dev.athanor.query.scalars.store.PgScalarStore;
import dev.athanor.query.scalars.store.ScalarStore;
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
    ScalarStore scalarStore(Jdbc jdbc) {
        return new PgScalarStore(jdbc);
    }
}
