package dev.athanor.ingest.health;

import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.index.IndexProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN, naming the run and the failure, while the indexer has been failing on a run for
 * longer than {@code athanor.ingest.health.index-stall-after} (PostgreSQL down with work pending, a
 * refusal it cannot pass over); UP again by itself with the next successful transaction. A replica
 * with nothing to index stays UP through a database outage (its acknowledgements wait for the
 * commit ledger instead).
 */
@Readiness
@ApplicationScoped
public class IndexProgressCheck implements HealthCheck {

    private final IndexProgress progress;
    private final IngestConfig config;

    public IndexProgressCheck(IndexProgress progress, IngestConfig config) {
        this.progress = progress;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var stall = progress.stall(System.nanoTime(), config.health().indexStallAfter());
        var response = HealthCheckResponse.named("index-progress");
        return stall.isPresent() ? response.down().withData("reason", stall.get()).build() : response.up().build();
    }
}
