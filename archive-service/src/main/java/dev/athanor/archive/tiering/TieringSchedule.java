package dev.athanor.archive.tiering;

import dev.athanor.archive.config.ArchiveConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs the tiering loop on the configured interval; a pass still running makes the next tick skip. */
@ApplicationScoped
public class TieringSchedule {

    private final TieringWorker worker;
    private final ArchiveConfig config;

    public TieringSchedule(TieringWorker worker, ArchiveConfig config) {
        this.worker = worker;
        this.config = config;
    }

    @Scheduled(identity = "athanor-archive-tiering", every = "${athanor.archive.tiering.interval}",
            delayed = "${athanor.archive.tiering.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.tiering().enabled()) {
            worker.tick();
        }
    }
}
