package dev.athanor.archive.scrub;

import dev.athanor.archive.config.ArchiveConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs a scrub step on the configured interval; a step still running makes the next tick skip. */
@ApplicationScoped
public class ScrubSchedule {

    private final Scrubber scrubber;
    private final ArchiveConfig config;

    public ScrubSchedule(Scrubber scrubber, ArchiveConfig config) {
        this.scrubber = scrubber;
        this.config = config;
    }

    @Scheduled(identity = "athanor-archive-scrub", every = "${athanor.archive.scrub.interval}",
            delayed = "${athanor.archive.scrub.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.scrub().enabled()) {
            scrubber.step();
        }
    }
}
