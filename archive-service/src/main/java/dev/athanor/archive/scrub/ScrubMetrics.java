package dev.athanor.archive.scrub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scrub's meters: copies checked by kind and result and bytes read (counters), open damage and
 * the end of the last step that ran (gauges; alert on {@code athanor_archive_scrub_damaged > 0} and on
 * the last step being too old).
 */
public final class ScrubMetrics {

    private final MeterRegistry registry;
    private final AtomicLong openDamage = new AtomicLong();
    private final AtomicLong lastStep = new AtomicLong();
    private final Counter bytes;

    public ScrubMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("athanor.archive.scrub.damaged", openDamage, AtomicLong::get).strongReference(true)
                .description("Copies the scrub found missing or changed and that are not repaired yet").register(registry);
        Gauge.builder("athanor.archive.scrub.last.step", lastStep, AtomicLong::get).strongReference(true).baseUnit("seconds")
                .description("When the last scrub step ran (Unix time); 0 before the first").register(registry);
        bytes = Counter.builder("athanor.archive.scrub.bytes").baseUnit("bytes")
                .description("Bytes of copies the scrub checked").register(registry);
    }

    /**
     * One copy checked.
     *
     * @param result CLEAN, DAMAGED or SIZE_ONLY (a cold copy that cannot be read without a restore)
     */
    public void checked(ScrubTarget.Kind kind, String result, long size) {
        Counter.builder("athanor.archive.scrub.objects").tag("kind", kind.name()).tag("result", result)
                .description("Copies the scrub checked, by kind and result").register(registry).increment();
        if (!"SIZE_ONLY".equals(result)) {
            bytes.increment(size);
        }
    }

    /** The store could not be asked (not damage: the copy is checked again next step). */
    public void failure(String reason) {
        Counter.builder("athanor.archive.scrub.failures").tag("reason", reason)
                .description("Scrub checks that could not be made, by reason").register(registry).increment();
    }

    public void stepDone(Instant at, long open) {
        lastStep.set(at.getEpochSecond());
        openDamage.set(open);
    }

    public void openDamage(long open) {
        openDamage.set(open);
    }
}
