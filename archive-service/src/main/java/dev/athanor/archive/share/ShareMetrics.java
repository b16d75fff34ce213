package dev.athanor.archive.share;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Share-link meters: requests by outcome, signed URLs and the bytes they reach (counters), and how
 * long listing and signing an experiment took (timer). Fetches through the links go to the bucket
 * directly and are not seen here (the bucket's access logs have them).
 */
public final class ShareMetrics {

    private final MeterRegistry registry;
    private final Counter objects;
    private final Counter bytes;
    private final Timer signing;

    public ShareMetrics(MeterRegistry registry) {
        this.registry = registry;
        objects = Counter.builder("athanor.archive.share.objects")
                .description("Signed GET URLs handed out").register(registry);
        bytes = Counter.builder("athanor.archive.share.bytes").baseUnit("bytes")
                .description("Bytes the handed-out URLs can fetch").register(registry);
        signing = Timer.builder("athanor.archive.share.signing")
                .description("Listing and signing an experiment's objects, per request").register(registry);
    }

    /** One request; {@code outcome} created, not_found, unsupported (the store cannot sign) or invalid. */
    void request(String outcome) {
        Counter.builder("athanor.archive.share.requests").tag("outcome", outcome)
                .description("Share-link requests by outcome").register(registry).increment();
    }

    void created(int links, long linkedBytes, Duration took) {
        request("created");
        objects.increment(links);
        bytes.increment(linkedBytes);
        signing.record(took);
    }
}
