package dev.athanor.ingest.index;

import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.flow.IndexLagGate;
import dev.athanor.ingest.rawlog.DurabilityListener;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.ingest.rawlog.RunLog;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Keeps the index following the raw log: every run with durable but unindexed bytes is queued,
 * and index threads take runs from the queue and index them a transaction at a time. A run is
 * indexed by one thread at a time. When a transaction fails, the run's state is dropped (it is
 * reloaded from what was committed), so nothing is lost and nothing is indexed twice. A transient
 * fault (PostgreSQL down) is retried with exponential backoff, per run ({@link RetryBackoff}): the
 * failed run is queued again once its own delay has passed, and meanwhile the threads index other
 * runs. A refusal of the data (a value or
 * row PostgreSQL cannot take) is isolated: the run is indexed one journal entry per transaction,
 * and the entry refused on its own is recorded as an INDEX_REFUSED problem and passed over, so
 * the rest of the run is indexed. Failures are logged without statements or values, at most a
 * line a minute per run and kind of failure.
 */
@ApplicationScoped
public class IndexScheduler implements DurabilityListener {

    private static final Logger LOG = Logger.getLogger(IndexScheduler.class);
    private static final Duration HANDOVER_RECHECK = Duration.ofSeconds(1);
    /** Between the raw log's sealing ({@link RawLog#SEAL_AT_SHUTDOWN}) and the lease release. */
    public static final int INDEX_AT_SHUTDOWN = 2500;

    private final AgroalDataSource dataSource;
    private final RawLog rawLog;
    private final IndexLagGate gate;
    private final IngestConfig config;
    private final RunIndexer indexer;
    private final IndexProgress indexProgress;
    private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
    private final Map<Long, RunLog> logs = new ConcurrentHashMap<>();
    private final Map<Long, RunIndexState> states = new ConcurrentHashMap<>();
    /** Journal position indexed per run; kept when an idle run's state is dropped. */
    private final Map<Long, Long> indexedJournal = new ConcurrentHashMap<>();
    // Guarded by this: runs queued, running, needing another pass, or held by reindex.
    private final Set<Long> queued = new HashSet<>();
    private final Set<Long> running = new HashSet<>();
    private final Set<Long> dirty = new HashSet<>();
    private final Map<Long, Integer> paused = new HashMap<>();
    /** Runs indexed one journal entry per transaction since PostgreSQL refused their data; by worker threads only. */
    private final Set<Long> isolating = ConcurrentHashMap.newKeySet();
    /** The refusal of a run's single entry, to be recorded and passed over by its next transaction. */
    private final Map<Long, String> refused = new ConcurrentHashMap<>();
    private final FailureLog failureLog = new FailureLog();
    private final RetryBackoff backoff;
    /** Guarded by this: runs waiting for their retry after a failure. */
    private final Map<Long, PendingRetry> retryDue = new HashMap<>();
    /** Runs whose journal stopped at a handover, with what they wait for. */
    private final Map<Long, String> waiting = new ConcurrentHashMap<>();
    /** Queues runs again later: after a failure's backoff, or to look again at a handover. */
    private final java.util.concurrent.ScheduledExecutorService later =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("athanor-index-later").daemon().factory());
    private final Counter pointsIndexed;
    private final Counter failures;
    private volatile boolean stopping;
    private Thread[] workers = new Thread[0];

    public IndexScheduler(AgroalDataSource dataSource, RawLog rawLog, IndexLagGate gate, IngestConfig config,
                          MeterRegistry meters, SegmentFiles segmentFiles, IndexProgress progress) {
        this.indexProgress = progress;
        this.dataSource = dataSource;
        this.rawLog = rawLog;
        this.gate = gate;
        this.config = config;
        this.indexer = new RunIndexer(config.index().chunkPoints(), config.index().maxTransactionBytes(),
                new TagBound(config.index().maxTagBytes()), segmentFiles);
        this.backoff = new RetryBackoff(config.index().retryDelay(), config.index().maxRetryDelay());
        this.pointsIndexed = meters.counter("athanor.index.records");
        this.failures = meters.counter("athanor.index.failures");
        Gauge.builder("athanor.index.lag.bytes", gate, IndexLagGate::lagBytes).register(meters);
        Gauge.builder("athanor.index.cached.runs", states, Map::size).register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        rawLog.addListener(this);
        workers = new Thread[config.index().threads()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().name("athanor-indexer-" + i).daemon().start(this::work);
        }
        if (rawLog.startedClean()) {
            // The last stop sealed, committed and indexed everything: each run opens on its next batch.
            LOG.info("the last stop was clean: no run log is opened at start");
            return;
        }
        // Runs written before a crash may hold bytes to recover and bytes the index has not seen;
        // runs finished and indexed to the end are not in the list and are not opened.
        try {
            List<RunIdentity> toRecover = rawLog.toRecover();
            LOG.infof("the last stop was not clean: recovering %d run logs", toRecover.size());
            for (RunIdentity identity : toRecover) {
                try {
                    schedule(rawLog.open(identity));
                } catch (Exception e) {
                    LOG.errorf(e, "cannot open the raw log of run %d (%s)", identity.runId(), identity.relativeDir());
                }
            }
        } catch (Exception e) {
            LOG.error("cannot scan the hot root for runs to index", e);
        }
    }

    /**
     * Drain: after the raw log sealed and committed (RawLog's shutdown observer runs first), index
     * what is durable, up to the drain timeout, before the workers stop and the leases go.
     */
    void onStop(@Observes @jakarta.annotation.Priority(INDEX_AT_SHUTDOWN) ShutdownEvent event) {
        long deadline = System.nanoTime() + config.index().drainTimeout().toNanos();
        List<Long> behind = new ArrayList<>(logs.keySet());
        boolean allIndexed = true;
        for (Long runId : behind) {
            if (waiting.containsKey(runId)) {
                allIndexed = false;
                continue;  // waits for another replica's index, not for this one: nothing to finish here
            }
            try {
                awaitCaughtUp(runId, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (TimeoutException e) {
                allIndexed = false;
                LOG.warnf("drain: run %d is not fully indexed after %s; the replica that takes it over waits"
                        + " until this one is back and has indexed it", runId, config.index().drainTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                allIndexed = false;
                break;
            }
        }
        if (allIndexed) {
            rawLog.recordCleanStop();
        }
        stopping = true;
        later.shutdownNow();
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        states.values().forEach(RunIndexState::close);
    }

    @Override
    public void durable(RunLog log, long segmentBytes) {
        schedule(log);
    }

    /** Queues the run for indexing (no-op if it is already queued). */
    public void schedule(RunLog log) {
        long runId = log.identity().runId();
        logs.put(runId, log);
        gate.durable(runId, log.durableDataBytes());
        synchronized (this) {
            if (retryDue.containsKey(runId)) {
                return; // failed: queued again when its backoff is over, whatever arrives meanwhile
            }
            if (paused.containsKey(runId)) {
                dirty.add(runId);
                return;
            }
            if (running.contains(runId)) {
                dirty.add(runId);
                return;
            }
            if (!queued.add(runId)) {
                return;
            }
        }
        queue.add(runId);
    }

    /** True when everything durable in the run's raw log is in the index. */
    public boolean isCaughtUp(long runId) {
        RunLog log = logs.get(runId);
        if (log == null) {
            return true;
        }
        synchronized (this) {
            if (queued.contains(runId) || running.contains(runId) || dirty.contains(runId)
                    || retryDue.containsKey(runId)) {
                return false;
            }
        }
        return indexedJournal.getOrDefault(runId, -1L) >= log.durableJournalSize();
    }

    /** Runs whose index state is held in memory (the active ones). */
    public int cachedRunStates() {
        return states.size();
    }

    /** Waits until the run is caught up. */
    public void awaitCaughtUp(long runId, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isCaughtUp(runId)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("run " + runId + " not indexed within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Stops indexing the run until {@link #resume}; waits for a transaction in progress to end. */
    void pause(long runId) throws InterruptedException {
        synchronized (this) {
            paused.merge(runId, 1, Integer::sum);
            while (running.contains(runId)) {
                wait(100);
            }
        }
    }

    /** Forgets what is known about the run (its index was rebuilt) and lets indexing continue. */
    void resume(long runId, boolean forget) {
        RunLog log;
        synchronized (this) {
            if (forget) {
                indexedJournal.remove(runId);
                // A refusal found before the rebuild names an entry of the old index, not of the new one.
                isolating.remove(runId);
                refused.remove(runId);
                RunIndexState state = states.remove(runId);
                if (state != null) {
                    state.close();
                }
            }
            paused.computeIfPresent(runId, (id, n) -> n > 1 ? n - 1 : null);
            log = logs.get(runId);
        }
        if (log != null) {
            schedule(log);
        }
    }

    private void work() {
        while (!stopping) {
            Long runId;
            try {
                runId = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (runId == null) {
                dropIdleStates();
                continue;
            }
            synchronized (this) {
                queued.remove(runId);
                if (paused.containsKey(runId)) {
                    dirty.add(runId);
                    continue;
                }
                running.add(runId);
                dirty.remove(runId);
            }
            boolean again;
            long retryIn = -1;
            try {
                again = indexOnce(runId);
                backoff.reset(runId);
                failureLog.succeeded(runId);
                indexProgress.succeeded(runId);
            } catch (Exception | LinkageError | AssertionError e) {
                if (purged(runId)) {
                    forget(runId);
                    continue;
                }
                again = true;
                failures.increment();
                RunIndexState dropped = states.remove(runId);
                if (dropped != null) {
                    dropped.close();
                }
                IndexFault fault = IndexFault.of(e);
                boolean failed = fault.transientFault() || !isolate(runId, fault);
                if (failed) {
                    retryIn = backoff.failed(runId);
                    indexProgress.failed(runId, fault.description(), System.nanoTime());
                }
                String line = failureLog.line(runId, fault.description(), System.nanoTime());
                if (line != null) {
                    LOG.warnf("indexing run %d failed, %s: %s", runId,
                            failed ? "retrying in " + retryIn + " ms" : "isolating the records refused", line);
                }
            }
            synchronized (this) {
                running.remove(runId);
                again |= dirty.remove(runId);
                if (retryIn >= 0) {
                    // Not on this thread: it goes on with other runs while this one waits its own backoff.
                    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryIn);
                    retryDue.put(runId, new PendingRetry(retryIn, due));
                    again = false;
                    retryLater(runId, retryIn);
                }
                notifyAll();
            }
            if (again) {
                RunLog log = logs.get(runId);
                if (log != null) {
                    schedule(log);
                }
            }
        }
    }

    private void retryLater(long runId, long delayMillis) {
        try {
            later.schedule(() -> retry(runId), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            retryDue.remove(runId); // shutting down: nothing more is indexed
        }
    }

    /** The run's backoff is over: it is queued again. */
    private void retry(long runId) {
        synchronized (this) {
            retryDue.remove(runId);
        }
        RunLog log = logs.get(runId);
        if (log != null) {
            schedule(log);
        }
    }

    /** A failed run's wait for its next attempt: its backoff and when it ends (System.nanoTime). */
    record PendingRetry(long delayMillis, long dueNanos) {
    }

    /** The retry the run waits for after a failure, or null when it does not wait for one. */
    synchronized PendingRetry pendingRetry(long runId) {
        return retryDue.get(runId);
    }

    /** The run's row is gone (a purge removed it): its records have nowhere to go. */
    private boolean purged(long runId) {
        try (Connection c = dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM run WHERE id = ?")) {
            ps.setLong(1, runId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        } catch (java.sql.SQLException e) {
            return false;   // PostgreSQL unusable: the usual retry applies
        }
    }

    /** Drops everything this replica holds of a purged run: index state, queue entries, its raw log. */
    private void forget(long runId) {
        LOG.infof("run %d no longer exists (purged): its index state and raw log are dropped", runId);
        RunIndexState state = states.remove(runId);
        if (state != null) {
            state.close();
        }
        logs.remove(runId);
        indexedJournal.remove(runId);
        isolating.remove(runId);
        refused.remove(runId);
        waiting.remove(runId);
        indexProgress.forget(runId);
        synchronized (this) {
            running.remove(runId);
            dirty.remove(runId);
            notifyAll();
        }
        backoff.reset(runId);
        rawLog.forget(runId);
    }

    /**
     * Forgets the index state of runs that are caught up and saw no data for a while, and beyond
     * {@code max-cached-states} that of the least recently indexed ones, so memory follows a bound
     * rather than the number of live runs (a dropped state is reloaded from PostgreSQL).
     */
    private void dropIdleStates() {
        long idle = config.index().stateIdleTimeout().toNanos();
        long now = System.nanoTime();
        List<Map.Entry<Long, RunIndexState>> byAge = new ArrayList<>(states.entrySet());
        byAge.sort(java.util.Comparator.comparingLong(e -> e.getValue().lastUsedNanos));
        int excess = byAge.size() - config.index().maxCachedStates();
        for (var entry : byAge) {
            long runId = entry.getKey();
            RunIndexState state = entry.getValue();
            if (now - state.lastUsedNanos < idle && excess <= 0) {
                return;  // the rest were used more recently
            }
            synchronized (this) {
                if (queued.contains(runId) || running.contains(runId) || dirty.contains(runId)
                        || paused.containsKey(runId)) {
                    continue;
                }
                RunLog log = logs.get(runId);
                if (log != null && state.journalPosition < log.durableJournalSize()) {
                    continue;
                }
                if (states.remove(runId, state)) {
                    state.close();
                    excess--;
                }
            }
        }
    }

    /**
     * Reacts to PostgreSQL refusing the run's data: the first refusal turns to one journal entry
     * per transaction; a refusal of a single entry marks it to be passed over. False when there is
     * nothing left to isolate (the state was reloaded, so the fault came from loading it): retried.
     */
    private boolean isolate(long runId, IndexFault fault) {
        if (isolating.add(runId)) {
            return true;
        }
        if (refused.containsKey(runId)) {
            return false; // passing the entry over failed too
        }
        refused.put(runId, fault.description());
        return true;
    }

    /**
     * The run continues here after a handover, and the earlier owner has not indexed all it wrote:
     * forget the cached state (its indexed offsets and series tails are the other indexer's to
     * move) and look again shortly, from what PostgreSQL then holds.
     */
    private void waitForEarlierOwner(long runId, RunLog log, String waitingFor) {
        RunIndexState dropped = states.remove(runId);
        if (dropped != null) {
            dropped.close();
        }
        if (waiting.put(runId, waitingFor) == null) {
            LOG.infof("run %d: waiting for the replica that owned it before to index %s; indexing here continues"
                    + " after that", runId, waitingFor);
        }
        later.schedule(() -> schedule(log), HANDOVER_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One transaction for the run; true if more remains. The segment it read is closed after it:
     * the indexer holds at most one file per thread, whatever the number of live runs.
     */
    private boolean indexOnce(long runId) throws Exception {
        try {
            return indexTransaction(runId);
        } finally {
            RunIndexState state = states.get(runId);
            if (state != null) {
                state.close();
            }
        }
    }

    private boolean indexTransaction(long runId) throws Exception {
        RunLog log = logs.get(runId);
        if (log == null) {
            return false;
        }
        if (log.isBroken()) {
            // The log was reopened after a write failure: follow the new instance.
            log = rawLog.open(log.identity());
            logs.put(runId, log);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                RunIndexState state = states.get(runId);
                if (state == null) {
                    state = indexer.load(c, log);
                    states.put(runId, state);
                    gate.indexed(runId, state.indexedDataBytes);
                    if (states.size() > config.index().maxCachedStates()) {
                        dropIdleStates();
                    }
                }
                state.lastUsedNanos = System.nanoTime();
                if (state.journalPosition >= log.durableJournalSize()) {
                    c.rollback();
                    indexedJournal.put(runId, state.journalPosition);
                    log.indexedTo(state.journalPosition);
                    isolating.remove(runId);
                    return false;
                }
                String refusal = refused.get(runId);
                RunIndexer.Progress progress = refusal != null
                        ? indexer.skipAppend(c, state, log, log.committedOffsets(), refusal)
                        : indexer.indexSome(c, state, log, log.committedOffsets(), isolating.contains(runId));
                c.commit();
                refused.remove(runId);
                if (progress.caughtUp()) {
                    isolating.remove(runId);
                }
                indexedJournal.put(runId, state.journalPosition);
                pointsIndexed.increment(progress.records());
                gate.indexed(runId, state.indexedDataBytes);
                if (progress.waitingFor() != null) {
                    waitForEarlierOwner(runId, log, progress.waitingFor());
                    return false;
                }
                waiting.remove(runId);
                if (progress.caughtUp()) {
                    log.indexedTo(state.journalPosition);
                }
                return !progress.caughtUp();
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (Exception ignored) {
                    // the connection is likely gone; the pool discards it
                }
                throw e;
            }
        }
    }
}
