package dev.athanor.ingest.rawlog;

import dev.athanor.ingest.ownership.FencedException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One thread that makes appends durable in groups: while it fsyncs, appends from every stream
 * pile up, and the next round takes them all at once. The cost of an fsync is so shared by every
 * batch that arrived during the previous one (group commit), with no fixed linger delay.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class);

    private final LinkedBlockingQueue<RunLog> queue = new LinkedBlockingQueue<>();
    private final DurabilityListener listener;
    private final Consumer<RunLog> onFailure;
    private final Thread thread;
    private volatile boolean running = true;
    private long rounds;

    GroupCommitter(DurabilityListener listener, Consumer<RunLog> onFailure) {
        this.listener = listener;
        this.onFailure = onFailure;
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
        Set<RunLog> distinct = new LinkedHashSet<>(logs);
        for (RunLog log : distinct) {
            RunLog.PendingCommit commit = log.takePending();
            if (commit.isEmpty()) {
                continue;
            }
            try {
                long bytes = log.commit(commit);
                // The indexer hears of the new bytes before the acks go out, so a client that has
                // its ack finds the run queued (not "caught up" on an index that never saw it).
                if (bytes > 0 || !commit.entries().isEmpty()) {
                    listener.durable(log, bytes);
                }
                if (log.completed(commit)) {
                    schedule(log);
                }
            } catch (FencedException e) {
                LOG.warnf("%s: %s; the batches waiting on it are refused", log.directory(), e.getMessage());
                log.failed(commit, e);
                onFailure.accept(log);
            } catch (Exception e) {
                LOG.errorf(e, "%s: making appends durable failed; the run's raw log will be reopened", log.directory());
                log.failed(commit, e);
                onFailure.accept(log);
            }
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
    }
}
