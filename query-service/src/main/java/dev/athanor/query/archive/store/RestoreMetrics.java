package dev.athanor.query.archive.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Restores of cold copies on /q/metrics, in archive-service's naming: restores asked of the store by
 * outcome and their bytes, restores seen finished and how long they took (from the request to the
 * first check that found the copy readable, so an upper bound by up to the client's polling
 * interval), and restores running now (read from the catalog when scraped, so every replica
 * reports the same number: take max, not sum).
 */
public final class RestoreMetrics {

    private final MeterRegistry registry;
    private final Counter requestedBytes;
    private final Counter completed;
    private final Timer duration;

    public RestoreMetrics(MeterRegistry registry, Jdbc jdbc) {
        this.registry = registry;
        requestedBytes = Counter.builder("athanor.archive.restores.requested.bytes").baseUnit("bytes")
                .description("Bytes of cold copies whose restore the store accepted").register(registry);
        completed = Counter.builder("athanor.archive.restores.completed")
                .description("Restores found finished (the copy readable)").register(registry);
        duration = Timer.builder("athanor.archive.restore.duration")
                .description("From a restore's request to the first check that found the copy readable")
                .register(registry);
        Gauge.builder("athanor.archive.restores.in.progress", jdbc, j -> j.one(SqlFragment.of(
                        "SELECT count(*) FROM archive_restore WHERE state = 'RESTORING'"), rs -> rs.getLong(1)).orElse(0L))
                .description("Restores running now (the whole installation)")
                // Held strongly: Micrometer keeps a gauge's object weakly, and nothing else here keeps this one.
                .strongReference(true).register(registry);
    }

    /** A restore asked of the store; {@code outcome} started or failed (the store refused). */
    void requested(String outcome, long bytes) {
        Counter.builder("athanor.archive.restores.requested").tag("outcome", outcome)
                .description("Restores asked of the store, by outcome").register(registry).increment();
        if (outcome.equals("started")) {
            requestedBytes.increment(bytes);
        }
    }

    void completed(Duration took) {
        completed.increment();
        duration.record(took.isNegative() ? Duration.ZERO : took);
    }
}
