package dev.athanor.archive.schedule;

import dev.athanor.archive.config.ArchiveConfig;
import dev.athanor.archive.scrub.Scrubber;
import dev.athanor.archive.tiering.TieringWorker;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The archive's periodic loops, one skeleton: each runs on its configured interval after its initial
 * delay, a pass still running makes the next tick skip, and a loop switched off does nothing.
 * Tiering runs a tiering pass ({@link TieringWorker}); scrub a scrub step ({@link Scrubber}).
 */
@ApplicationScoped
public class ArchiveSchedules {

    private final TieringWorker tiering;
    private final Scrubber scrubber;
    private final ArchiveConfig config;

    public ArchiveSchedules(TieringWorker tiering, Scrubber scrubber, ArchiveConfig config) {
        this.tiering = tiering;
        this.scrubber = scrubber;
        this.config = config;
    }

    @Scheduled(identity = "athanor-archive-tiering", every = "${athanor.archive.tiering.interval}",
            delayed = "${athanor.archive.tiering.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tiering() {
        whenEnabled(config.tiering().enabled(), tiering::tick);
    }

    @Scheduled(identity = "athanor-archive-scrub", every = "${athanor.archive.scrub.interval}",
            delayed = "${athanor.archive.scrub.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scrub() {
        whenEnabled(config.scrub().enabled(), scrubber::step);
    }

    /** The switch is read at every tick (the mapping's current value), not once at start. */
    private static void whenEnabled(boolean enabled, Runnable pass) {
        if (enabled) {
            pass.run();
        }
    }
}
