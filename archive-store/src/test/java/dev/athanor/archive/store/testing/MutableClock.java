package dev.athanor.archive.store.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand (backoff without sleeping). */
public final class MutableClock extends Clock {

    // PostgreSQL keeps microseconds.
    private volatile Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
