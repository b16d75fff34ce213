package dev.athanor.archive.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replication meters per destination: replicated objects and bytes (counters), pending, failed and
 * verified bytes (gauges refreshed from the catalog after each pass), failures by reason.
 */
public final class ReplicationMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong[]> gauges = new ConcurrentHashMap<>();

    public ReplicationMetrics(MeterRegistry registry, List<String> destinations) {
        this.registry = registry;
        for (String d : destinations) {
            AtomicLong[] g = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            gauges.put(d, g);
            Gauge.builder("athanor.archive.replication.pending", g[0], AtomicLong::get).strongReference(true).tag("destination", d)
                    .description("Objects of requested experiments without a verified replica").register(registry);
            Gauge.builder("athanor.archive.replication.failed", g[1], AtomicLong::get).strongReference(true).tag("destination", d)
                    .description("Replicas whose last attempt failed").register(registry);
            Gauge.builder("athanor.archive.replication.verified.bytes", g[2], AtomicLong::get).strongReference(true).tag("destination", d)
                    .baseUnit("bytes").description("Bytes held by verified replicas").register(registry);
        }
    }

    public void backlog(String destination, ReplicationCatalog.Backlog b) {
        AtomicLong[] g = gauges.get(destination);
        g[0].set(b.pending());
        g[1].set(b.failed());
        g[2].set(b.verifiedBytes());
    }

    public void replicated(String destination, long bytes) {
        Counter.builder("athanor.archive.replication.objects").tag("destination", destination)
                .description("Objects copied to a destination and verified").register(registry).increment();
        Counter.builder("athanor.archive.replication.bytes").tag("destination", destination).baseUnit("bytes")
                .description("Bytes copied to a destination and verified").register(registry).increment(bytes);
    }

    /** One failure; {@code reason} is a StoreException reason or IO. */
    public void failure(String destination, String reason) {
        Counter.builder("athanor.archive.replication.failures").tag("destination", destination).tag("reason", reason)
                .description("Failed replica copies by reason").register(registry).increment();
    }
}
