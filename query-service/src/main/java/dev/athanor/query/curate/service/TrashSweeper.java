package dev.athanor.query.curate.service;

import dev.athanor.auth.AuditLog;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectGrants;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.curate.store.CurateStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Ends the trash window: runs and experiments trashed longer than athanor.query.trash.retention
 * get purge requests (archive-service carries them out), and experiments whose purge was asked for
 * are deleted once their last run is gone. Idempotent, so every query-service replica may run it.
 */
@ApplicationScoped
public class TrashSweeper {

    private static final Logger LOG = Logger.getLogger(TrashSweeper.class);
    static final Caller SWEEPER = new Caller("query-service/trash-sweeper", "trash-sweeper", "query-service",
            ProjectGrants.none());

    private final CurateStore store;
    private final QueryConfig config;
    private ScheduledExecutorService timer;

    public TrashSweeper(CurateStore store, QueryConfig config) {
        this.store = store;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        Duration interval = config.trash().sweepInterval();
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("trash-sweeper")
                .unstarted(r));
        timer.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("trash sweep failed, next in %s: %s", config.trash().sweepInterval(), e.getMessage());
        }
    }

    /** One pass; returns the number of purge requests it wrote. */
    public int sweep() {
        int requested = store.requestExpiredPurges(config.trash().retention(), SWEEPER.username());
        if (requested > 0) {
            AuditLog.record(SWEEPER, "trash window ended", null, Map.of("purgeRequests", requested),
                    AuditLog.Outcome.ALLOWED, "trashed longer than " + config.trash().retention());
        }
        List<Long> gone = store.deletePurgedExperiments();
        for (Long id : gone) {
            AuditLog.record(SWEEPER, "experiment purged", null, Map.of("experimentId", id), AuditLog.Outcome.ALLOWED,
                    "its last run was purged");
        }
        return requested;
    }
}
