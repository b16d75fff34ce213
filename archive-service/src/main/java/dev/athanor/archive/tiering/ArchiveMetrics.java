package dev.athanor.archive.tiering;

import dev.athanor.archive.catalog.TierTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The archive's meters: bytes per tier and backlog (gauges refreshed from the catalog after each
 * pass), work done and failures by reason (counters), pass duration (timer). The gauges hold their values
 * strongly: Micrometer keeps a gauge's object weakly, and one collected reads NaN.
 */
public final class ArchiveMetrics {

    private final MeterRegistry registry;
    private final AtomicLong hotBytes = new AtomicLong();
    private final AtomicLong warmBytes = new AtomicLong();
    private final AtomicLong coldBytes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failing = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Counter archivedSegments;
    private final Counter archivedBytes;
    private final Counter hotDeletedSegments;
    private final Counter hotDeletedBytes;
    private final Counter cooledObjects;
    private final Timer passes;

    public ArchiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("athanor.archive.tier.bytes", hotBytes, AtomicLong::get).strongReference(true).tag("tier", "hot")
                .description("Raw segment bytes per tier").baseUnit("bytes").register(registry);
        Gauge.builder("athanor.archive.tier.bytes", warmBytes, AtomicLong::get).strongReference(true).tag("tier", "warm")
                .description("Raw segment bytes per tier").baseUnit("bytes").register(registry);
        Gauge.builder("athanor.archive.tier.bytes", coldBytes, AtomicLong::get).strongReference(true).tag("tier", "cold")
                .description("Raw segment bytes per tier").baseUnit("bytes").register(registry);
        Gauge.builder("athanor.archive.segments.pending", pending, AtomicLong::get).strongReference(true)
                .description("Sealed hot segments without a verified copy").register(registry);
        Gauge.builder("athanor.archive.segments.failing", failing, AtomicLong::get).strongReference(true)
                .description("Segments whose last archive attempt failed").register(registry);
        Gauge.builder("athanor.archive.segments.refused", refused, AtomicLong::get).strongReference(true)
                .description("Segments that cannot be archived as they are").register(registry);
        archivedSegments = Counter.builder("athanor.archive.archived.segments").register(registry);
        archivedBytes = Counter.builder("athanor.archive.archived.bytes").baseUnit("bytes").register(registry);
        hotDeletedSegments = Counter.builder("athanor.archive.hot.deleted.segments").register(registry);
        hotDeletedBytes = Counter.builder("athanor.archive.hot.deleted.bytes").baseUnit("bytes").register(registry);
        cooledObjects = Counter.builder("athanor.archive.cooled.objects").register(registry);
        passes = Timer.builder("athanor.archive.pass").description("Tiering passes").register(registry);
    }

    public void totals(TierTotals t) {
        hotBytes.set(t.hotBytes());
        warmBytes.set(t.warmBytes());
        coldBytes.set(t.coldBytes());
        pending.set(t.pending());
        failing.set(t.failed());
        refused.set(t.refused());
    }

    public void archived(long bytes, ObjectVerifier.Method verifiedBy) {
        archivedSegments.increment();
        archivedBytes.increment(bytes);
        // Read-backs cost a download each: operators see how often the store's checksum sufficed.
        Counter.builder("athanor.archive.verifications").tag("method", verifiedBy.name())
                .description("Verified copies by how they were verified").register(registry).increment();
    }

    public void hotDeleted(int segments, long bytes) {
        hotDeletedSegments.increment(segments);
        hotDeletedBytes.increment(bytes);
    }

    public void cooled() {
        cooledObjects.increment();
    }

    /** One failure; {@code reason} is a StoreException reason or REFUSED / DATABASE. */
    public void failure(String reason) {
        Counter.builder("athanor.archive.failures").tag("reason", reason)
                .description("Failed archive operations by reason").register(registry).increment();
    }

    public Timer passes() {
        return passes;
    }
}
