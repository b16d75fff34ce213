package dev.athanor.profile;

import dev.athanor.profile.decode.TraceSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one decode has got, written by the decoding thread and read by others (a progress bar
 * while a big trace is indexed). A decode reads the stored file (twice for XPlane: metadata, then
 * events), then sorts and measures the events it buffered; {@link #fraction()} weighs the reading
 * as {@link #READ_SHARE} of the work (a rough split: reading and parsing dominate).
 */
public final class DecodeProgress {

    /** The share of a decode's time spent reading the file (the rest: sorting and measuring lanes). */
    static final double READ_SHARE = 0.8;

    private final long fileBytes;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong eventsBuilt = new AtomicLong();
    private volatile int passes = 1;
    private volatile long eventsTotal;

    public DecodeProgress(long fileBytes) {
        this.fileBytes = fileBytes;
    }

    public long fileBytes() {
        return fileBytes;
    }

    /** Stored bytes read (or skipped) so far, over every pass. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** 0 when nothing is done, 1 when the index is built; never goes back. */
    public double fraction() {
        double read = fileBytes <= 0 ? 1 : Math.min(1, bytesRead.get() / ((double) fileBytes * passes));
        long events = eventsTotal;
        double built = events <= 0 ? 0 : Math.min(1, eventsBuilt.get() / (double) events);
        return READ_SHARE * read + (1 - READ_SHARE) * built;
    }

    /** The source, counting what is read of it into this progress; {@code passes}: times it will be read. */
    TraceSource counting(TraceSource source, int passes) {
        this.passes = Math.max(1, passes);
        return new TraceSource() {
            @Override
            public String name() {
                return source.name();
            }

            @Override
            public InputStream open() throws IOException {
                return new FilterInputStream(source.open()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        bytesRead.addAndGet(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        bytesRead.addAndGet(Math.max(0, n));
                        return n;
                    }

                    @Override
                    public long skip(long n) throws IOException {
                        long skipped = super.skip(n);
                        bytesRead.addAndGet(Math.max(0, skipped));
                        return skipped;
                    }
                };
            }
        };
    }

    /** The events to sort and measure once the file is read. */
    public void building(long events) {
        eventsTotal = events;
    }

    /** {@code events} more are sorted and measured. */
    public void built(long events) {
        eventsBuilt.addAndGet(events);
    }
}
