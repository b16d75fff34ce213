package dev.athanor.ingest.rawlog;

import dev.athanor.ingest.ownership.FencedException;
import dev.athanor.ingest.ownership.RunLease;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One thread that makes appends durable in groups: while it fsyncs, appends from every stream
 * pile up, and the next round takes them all at once. The cost of an fsync is so shared by every
 * batch that arrived during the previous one (group commit), with no fixed linger delay. A round
 * ends with one commit-ledger transaction for all its runs; only then are the batches acknowledged.
 *
 * <p>Within a round the runs are fsynced side by side ({@link #FSYNC_THREADS} at a time): each run
 * keeps its own order (segments, directory, journal), and concurrent fsyncs share the file
 * system's journal commits, so a round of many new runs (thousands appearing at once, each with
 * its own files) costs a few fsync latencies rather than three per run in turn.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class);

    private final LinkedBlockingQueue<RunLog> queue = new LinkedBlockingQueue<>();
    private static final long MAX_LEDGER_RETRY_MILLIS = 2_000;
    /** Runs of one round fsynced at once: enough to keep a disk's queue full, few enough for 2 cores. */
    static final int FSYNC_THREADS = 8;

    private final DurabilityListener listener;
    private final Consumer<RunLog> onFailure;
    private final CommitLedger ledger;
    private final OpenRunFiles budget;
    private long ledgerRetryMillis;
    private final Thread thread;
    private final ExecutorService fsyncs = Executors.newFixedThreadPool(FSYNC_THREADS,
            Thread.ofPlatform().name("athanor-commit-fsync-", 0).daemon().factory());
    private volatile boolean running = true;
    private long rounds;

    GroupCommitter(DurabilityListener listener, Consumer<RunLog> onFailure) {
        this(listener, onFailure, CommitLedger.LOCAL);
    }

    GroupCommitter(DurabilityListener listener, Consumer<RunLog> onFailure, CommitLedger ledger) {
        this(listener, onFailure, ledger, OpenRunFiles.UNBOUNDED);
    }

    /** Gives files back to {@code budget} after each round, and closes idle runs' files while there is no work. */
    GroupCommitter(DurabilityListener listener, Consumer<RunLog> onFailure, CommitLedger ledger,
                   OpenRunFiles budget) {
        this.listener = listener;
        this.onFailure = onFailure;
        this.ledger = ledger;
        this.budget = budget;
        this.thread = Thread.ofPlatform().name("athanor-group-commit").daemon().unstarted(this::loop);
        thread.start();
    }

    /** Schedules the run for the next round (no-op if already scheduled). */
    void schedule(RunLog log) {
        synchronized (log) {
            if (log.queuedForCommit) {
                return;
            }
            log.queuedForCommit = true;
        }
        queue.add(log);
    }

    long rounds() {
        return rounds;
    }

    private void loop() {
        List<RunLog> batch = new ArrayList<>();
        while (running) {
            try {
                RunLog first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    budget.trim();  // idle runs' files close while nothing else is to do
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch);
                commitRound(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit round failed", e);
            }
        }
    }

    private void commitRound(List<RunLog> logs) {
        rounds++;
        Set<RunLog> round = new LinkedHashSet<>(logs);
        try {
            commitAndPublish(round);
        } finally {
            round.forEach(RunLog::roundEnded);
            budget.trim();
        }
    }

    private void commitAndPublish(Set<RunLog> round) {
        List<RunLog> journaled = new ArrayList<>();
        if (round.size() == 1) {
            RunLog only = round.iterator().next();
            if (commitOne(only)) {
                journaled.add(only);
            }
        } else {
            List<Future<Boolean>> commits = new ArrayList<>();
            for (RunLog log : round) {
                commits.add(fsyncs.submit(() -> commitOne(log)));
            }
            int i = 0;
            for (RunLog log : round) {
                if (awaitCommit(commits.get(i++), log)) {
                    journaled.add(log);
                }
            }
        }
        recordAndPublish(journaled);
    }

    /** Makes one run's pending appends durable; true when it has journaled commits for the ledger. */
    private boolean commitOne(RunLog log) {
        RunLog.PendingCommit commit = log.takePending();
        try {
            if (!commit.isEmpty()) {
                log.commit(commit);
            }
            return log.hasUnrecorded();
        } catch (FencedException e) {
            LOG.warnf("%s: %s; the batches waiting on it are refused", log.directory(), e.getMessage());
            fail(log, commit, e);
        } catch (Exception e) {
            LOG.errorf(e, "%s: making appends durable failed; the run's raw log will be reopened", log.directory());
            fail(log, commit, e);
        }
        return false;
    }

    private static boolean awaitCommit(Future<Boolean> commit, RunLog log) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return commit.get();
                } catch (InterruptedException e) {
                    interrupted = true;  // the fsync runs on: its outcome decides the acks
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.errorf(e.getCause(), "%s: committing failed", log.directory());
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One ledger transaction for every run of the round, then the acks. While the ledger cannot
     * be reached the journaled commits wait (no acks, nothing lost) and are retried with backoff.
     */
    private void recordAndPublish(List<RunLog> logs) {
        if (logs.isEmpty()) {
            return;
        }
        Map<RunLog, CommitLedger.Commit> toRecord = new LinkedHashMap<>();
        for (RunLog log : logs) {
            log.ledgerCommit().ifPresent(c -> toRecord.put(log, c));
        }
        Set<Long> fenced;
        try {
            fenced = ledger.record(toRecord.values());
            ledgerRetryMillis = 0;
        } catch (SQLException | RuntimeException e) {
            // Retried, never dropped: a round that gave up here would leave its batches waiting for good.
            ledgerRetryMillis = Math.min(MAX_LEDGER_RETRY_MILLIS, Math.max(50, ledgerRetryMillis * 2));
            LOG.warnf("the commit ledger (PostgreSQL) cannot be reached (%s); %d runs keep their journaled batches"
                    + " unacknowledged and retry in %d ms", e.getMessage(), logs.size(), ledgerRetryMillis);
            sleep(ledgerRetryMillis);
            logs.forEach(this::schedule);
            return;
        }
        for (RunLog log : logs) {
            RunLease lease = log.lease();
            if (toRecord.containsKey(log) && (fenced.contains(log.identity().runId()) || !lease.isValid())) {
                FencedException e = new FencedException(lease);
                LOG.warnf("%s: %s; the batches waiting on it are refused", log.directory(), e.getMessage());
                fail(log, null, e);
                continue;
            }
            RunLog.Published published = log.publish();
            // The indexer hears of the new bytes before the acks go out, so a client that has
            // its ack finds the run queued (not "caught up" on an index that never saw it).
            if (published.dataBytes() > 0 || published.hadEntries()) {
                listener.durable(log, published.dataBytes());
            }
            if (log.release(published)) {
                schedule(log);
            }
        }
    }

    private void fail(RunLog log, RunLog.PendingCommit commit, Exception e) {
        log.failed(commit, e);
        onFailure.accept(log);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Commit what is still queued so no append is left waiting at shutdown.
        List<RunLog> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) {
            commitRound(rest);
        }
        fsyncs.shutdown();
    }
}
