package dev.athanor.query.scalars.service;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.scalars.store.SubBlockBackfill;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs the {@link SubBlockBackfill} pass in the background of every replica: batch after batch with
 * a pause between, until the pass has reached the last chunk. Only one replica makes progress at a
 * time (the pass's row is locked per batch); the others retry now and then, and take over if that
 * replica stops. Progress is logged about every 30 s and counted on /q/metrics
 * ({@code athanor.scalars.backfill.chunks}: chunks looked at; {@code ...rewritten}: chunks given
 * new summaries).
 */
@ApplicationScoped
public class SubBlockBackfillJob {

    private static final Logger LOG = Logger.getLogger(SubBlockBackfillJob.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final SubBlockBackfill backfill;
    private final SubBlockBackfillConfig config;
    private final Counter seen;
    private final Counter rewritten;
    private volatile boolean running;
    private Thread thread;

    public SubBlockBackfillJob(Jdbc jdbc, SubBlockBackfillConfig config, MeterRegistry registry) {
        this.backfill = new SubBlockBackfill(jdbc.dataSource(), SubBlockBackfill.PASS, config.batchSize());
        this.config = config;
        this.seen = Counter.builder("athanor.scalars.backfill.chunks")
                .description("scalar chunks the sub-block backfill looked at").register(registry);
        this.rewritten = Counter.builder("athanor.scalars.backfill.rewritten")
                .description("scalar chunks the sub-block backfill summarized again").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("athanor-sub-block-backfill").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        Instant nextLog = Instant.now();
        long seenSinceLog = 0;
        long rewrittenSinceLog = 0;
        while (running) {
            Duration wait;
            try {
                SubBlockBackfill.Batch b = backfill.runBatch();
                seen.increment(b.seen());
                rewritten.increment(b.rewritten());
                seenSinceLog += b.seen();
                rewrittenSinceLog += b.rewritten();
                if (b.outcome() == SubBlockBackfill.Outcome.FINISHED) {
                    if (b.seen() > 0 || seenSinceLog > 0) {
                        LOG.infof("sub-block backfill %s finished (this replica's last stretch: %d chunks looked at,"
                                + " %d summarized again)", SubBlockBackfill.PASS, seenSinceLog, rewrittenSinceLog);
                    }
                    return;
                }
                if (!Instant.now().isBefore(nextLog) && seenSinceLog > 0) {
                    LOG.infof("sub-block backfill %s: %d chunks looked at, %d summarized again in the last %s; at"
                            + " series %d step %d", SubBlockBackfill.PASS, seenSinceLog, rewrittenSinceLog, LOG_EVERY,
                            b.cursorSeriesId(), b.cursorFirstStep());
                    seenSinceLog = 0;
                    rewrittenSinceLog = 0;
                    nextLog = Instant.now().plus(LOG_EVERY);
                }
                wait = b.outcome() == SubBlockBackfill.Outcome.BUSY ? config.retryInterval() : config.pause();
            } catch (SQLException | RuntimeException e) {
                // The batch rolled back: try again later. A lock timeout or deadlock means ingest held a
                // row of the batch, which is expected now and then; anything else is worth a warning.
                String state = e instanceof SQLException sql ? sql.getSQLState() : null;
                LOG.logf("55P03".equals(state) || "40P01".equals(state) ? Logger.Level.DEBUG : Logger.Level.WARN,
                        "sub-block backfill batch: %s; retrying in %s", e.getMessage(), config.retryInterval());
                wait = config.retryInterval();
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
