package dev.athanor.query.alerts.service;

import dev.athanor.query.alerts.delivery.WebhookClient;
import dev.athanor.query.alerts.store.PgDeliveryStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's due deliveries (docs/alerts.md, "Delivery"). Every replica runs one; a
 * claim is a lease, so a crash or restart between claiming and recording only delays a delivery,
 * and the receiver recognises a repeat by its X-Athanor-Delivery id. A failed attempt is retried
 * after a delay that doubles from the initial one up to the maximum, each drawn at random in its
 * upper half (jitter, so many receivers coming back are not hit at once), until the retry window
 * (24 h by default) is over; then the delivery is marked FAILED.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    /** Deliveries attempted per look at the outbox before the worker checks it is still running. */
    private static final int BATCH = 16;

    private final PgDeliveryStore store;
    private final WebhookClient client;
    private final AlertMetrics metrics;
    private final AlertConfig config;
    private final Semaphore wake = new Semaphore(0);
    private final WorkerThread worker = new WorkerThread("athanor-alert-delivery");

    public DeliveryWorker(PgDeliveryStore store, WebhookClient client, AlertMetrics metrics, AlertConfig config) {
        this.store = store;
        this.client = client;
        this.metrics = metrics;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        worker.start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    /** Looks for due deliveries now (after a pass recorded some). */
    public void wake() {
        wake.release();
    }

    private void loop() {
        while (worker.running()) {
            try {
                while (worker.running() && deliverDue() == BATCH) {
                    // a full batch: more may be due
                }
                wake.tryAcquire(config.deliveryInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("alert delivery: %s", e.getMessage());
                try {
                    Thread.sleep(config.deliveryInterval().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Attempts up to one batch of due deliveries; returns how many were attempted. Each is claimed
     * just before its call, with a lease that covers that one call (connect and answer timeouts and
     * a margin): a batch claimed at once would outlive its lease behind slow receivers, letting
     * another replica send the same delivery, and a crash would hold every claimed one back for the
     * whole batch's lease.
     */
    public int deliverDue() {
        Duration lease = config.requestTimeout().multipliedBy(2).plusSeconds(5);
        int attempted = 0;
        while (attempted < BATCH) {
            List<PgDeliveryStore.Due> claimed = store.claim(1, lease);
            if (claimed.isEmpty()) {
                break;
            }
            attempt(claimed.get(0));
            attempted++;
        }
        return attempted;
    }

    private void attempt(PgDeliveryStore.Due d) {
        WebhookClient.Result r = client.send(d.url(), d.secret(), d.body(), d.id(), d.kind());
        if (r.delivered()) {
            store.delivered(d.id(), r.status());
            metrics.delivery("delivered");
            return;
        }
        String state = store.retryOrFail(d.id(), r.status(), r.error(), delay(d.attempts()), config.retryFor());
        metrics.delivery(r.refused() ? "refused" : "FAILED".equals(state) ? "failed" : "retry");
        LOG.infof("alert delivery %d (rule %d), attempt %d: %s; %s", d.id(), d.ruleId(), d.attempts(), r.error(),
                "FAILED".equals(state) ? "given up" : "will retry");
    }

    /** The delay before attempt n+1: initial × 2^(n-1), capped, drawn in [half, whole] of it. */
    Duration delay(int attempts) {
        long initial = config.retryInitialDelay().toMillis();
        long cap = config.retryMaxDelay().toMillis();
        long ceiling = initial;
        for (int i = 1; i < attempts && ceiling < cap; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, cap);
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
