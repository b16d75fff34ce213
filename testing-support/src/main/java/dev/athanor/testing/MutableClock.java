package dev.athanor.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A UTC clock that tests move by hand, so lifetimes and backoffs pass without waiting. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** Starts at the current time, cut to microseconds (what PostgreSQL keeps). */
    public MutableClock() {
        this(Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    public MutableClock(Instant start) {
        now = start;
    }

    public synchronized void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: it has no zone of its own to change. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
