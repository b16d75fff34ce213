package dev.athanor.ingest.rawlog;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The files run logs hold open (journals, open segments), bounded: a live run costs a descriptor
 * only while it is writing. Logs are kept in least-recently-used order; past the bound, and after
 * the idle time whatever the count, the files of logs with nothing in flight are closed and
 * reopened by their next batch. The bound stays well under the process's limit so connections,
 * PostgreSQL and class loading always find descriptors.
 *
 * <p>Lock order: this, then a run log's monitor; {@link #used} and {@link #trim} are never called
 * while holding a run log's monitor, and the counters take no lock.
 */
public final class OpenRunFiles {

    /** No bound, no idle close: tools and tests that open a log or two. */
    static final OpenRunFiles UNBOUNDED = new OpenRunFiles(Integer.MAX_VALUE, Duration.ofDays(3650));

    private final int maxFiles;
    private final long idleNanos;
    private final AtomicInteger open = new AtomicInteger();
    /** Access order (eldest first), with when each was last used. Guarded by this. */
    private final Map<RunLog, Long> recent = new LinkedHashMap<>(64, 0.75f, true);
    private volatile int peak;

    public OpenRunFiles(int maxFiles, Duration idleClose) {
        if (maxFiles < 2) {
            throw new IllegalArgumentException("a run log needs 2 files (journal, segment); bound " + maxFiles);
        }
        this.maxFiles = maxFiles;
        this.idleNanos = idleClose.toNanos();
    }

    public int maxFiles() {
        return maxFiles;
    }

    /** Files run logs hold open now. */
    public int open() {
        return open.get();
    }

    /** The most held open at once since start. */
    public int peak() {
        return peak;
    }

    boolean overBound() {
        return open.get() > maxFiles;
    }

    void opened() {
        int now = open.incrementAndGet();
        if (now > peak) {
            peak = now;
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    /** The log is about to be written: most recently used now, then the bound is restored. */
    void used(RunLog log) {
        synchronized (this) {
            recent.put(log, System.nanoTime());
        }
        trim();
    }

    /** The log is gone (closed for good): it holds nothing more. */
    synchronized void forget(RunLog log) {
        recent.remove(log);
    }

    /**
     * Closes the files of idle logs, least recently used first, while more than the bound are
     * open, and of every log unused for the idle time. Logs with a commit in flight are passed
     * over (the group committer gives their files back when its round ends, see
     * {@link RunLog#roundEnded}).
     */
    synchronized void trim() {
        long now = System.nanoTime();
        Iterator<Map.Entry<RunLog, Long>> eldest = recent.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<RunLog, Long> e = eldest.next();
            if (open.get() <= maxFiles && now - e.getValue() < idleNanos) {
                return;  // the rest were used more recently
            }
            if (e.getKey().releaseFilesIfIdle()) {
                eldest.remove();
            }
        }
    }
}
