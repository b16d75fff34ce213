package dev.athanor.ingest.rawlog;

import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.health.FileDescriptors;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import dev.athanor.rawlog.SegmentNames;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The hot raw log of this replica: opens run logs on demand (recovering them from their journal),
 * and owns the group committer that makes appends durable.
 */
@ApplicationScoped
public class RawLog {

    private static final Logger LOG = Logger.getLogger(RawLog.class);

    /**
     * Shutdown order of a drain: the raw log seals and commits first (here), the indexer then
     * indexes what is durable, and the leases go last (Ownership), so the next owner of a run
     * finds it committed and indexed up to where it continues.
     */
    public static final int SEAL_AT_SHUTDOWN = 2000;
    /** In the hot root: the last stop left nothing to recover or index. Removed at start. */
    static final String CLEAN_STOP = ".athanor.clean-stop";
    /** Default upper end of the run-log file bound: 2,048 runs writing at once, each with journal and segment. */
    static final int DEFAULT_MAX_RUN_FILES = 4096;

    private final IngestConfig config;
    private final HotRoot hotRoot;
    private final String node;
    private final Map<Long, RunLog> runs = new ConcurrentHashMap<>();
    private final List<DurabilityListener> listeners = new CopyOnWriteArrayList<>();
    private final GroupCommitter committer;
    private final HotDeletedSegments hotDeleted;
    private final CommitLedger ledger;
    private final OpenRunFiles openFiles;
    private final DirtyRuns dirtyRuns;
    /** The last stop left every run sealed, committed and indexed: nothing to recover at start. */
    private final boolean startedClean;
    private volatile boolean closedCleanly;
    private volatile boolean hadFault;
    private volatile boolean draining;

    /** A raw log that nothing else writes (tools, tests): no shared commit ledger. */
    public RawLog(IngestConfig config, HotDeletedSegments hotDeleted) {
        this(config, hotDeleted, CommitLedger.LOCAL);
    }

    @jakarta.inject.Inject
    public RawLog(IngestConfig config, HotDeletedSegments hotDeleted, CommitLedger ledger) {
        this.config = config;
        this.hotDeleted = hotDeleted;
        this.ledger = ledger;
        this.hotRoot = new HotRoot(config.hotRoot());
        this.node = config.nodeName().map(SegmentNames::sanitizeNode).orElseGet(SegmentNames::defaultNode);
        try {
            Files.createDirectories(hotRoot.root());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the hot root " + hotRoot.root(), e);
        }
        this.startedClean = takeCleanStop();
        this.dirtyRuns = new DirtyRuns(hotRoot);
        if (startedClean) {
            try {
                dirtyRuns.clear();  // every run was sealed and indexed: no mark is current
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear the list of runs to recover in " + hotRoot.root(), e);
            }
        }
        this.openFiles = openFilesBudget(config.openFiles());
        this.committer = new GroupCommitter((log, bytes) -> listeners.forEach(l -> l.durable(log, bytes)),
                broken -> {
                    hadFault = true;  // its log is recovered when opened next: not a clean stop
                    runs.remove(broken.identity().runId(), broken);
                }, ledger, openFiles);
    }

    /** The bound on files run logs hold open, from the setting or the process's limit; says what it chose. */
    private static OpenRunFiles openFilesBudget(IngestConfig.OpenFiles config) {
        long limit = FileDescriptors.max();
        int bound = config.maxRunFiles().orElse(limit > 0 ? (int) Math.max(2, Math.min(DEFAULT_MAX_RUN_FILES, limit / 4))
                : DEFAULT_MAX_RUN_FILES);
        LOG.infof("open files: this process may open %s (RLIMIT_NOFILE); run logs keep at most %d of them open"
                        + " (athanor.ingest.open-files.max-run-files%s), and close a run's files after %s without a batch",
                limit > 0 ? Long.toString(limit) : "an unknown number of files", bound,
                config.maxRunFiles().isPresent() ? "" : ": a quarter of the limit, at most " + DEFAULT_MAX_RUN_FILES,
                config.idleClose());
        if (limit > 0 && bound > limit / 2) {
            LOG.warnf("open files: athanor.ingest.open-files.max-run-files=%d leaves less than half of the %d-file limit"
                    + " for connections, PostgreSQL and class loading; raise the limit (ulimit -n) or lower the bound",
                    bound, limit);
        }
        return new OpenRunFiles(bound, config.idleClose());
    }

    /**
     * True when the last stop recorded that it left nothing to recover or index; the record is
     * removed on the way, so a crash of this run of the service is never taken for a clean stop.
     */
    private boolean takeCleanStop() {
        try {
            if (Files.deleteIfExists(hotRoot.root().resolve(CLEAN_STOP))) {
                RunLog.syncDirectory(hotRoot.root());
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + hotRoot.root().resolve(CLEAN_STOP), e);
        }
    }

    /** The last stop left every run sealed, committed and indexed: start-up need not open any journal. */
    public boolean startedClean() {
        return startedClean;
    }

    /**
     * Records that this stop left nothing to recover or index (called by the indexer once it has
     * indexed everything durable), so the next start opens no journal until a run gets a batch.
     * Does nothing unless the raw log itself was sealed and committed without a fault.
     */
    public void recordCleanStop() {
        if (!closedCleanly) {
            return;
        }
        Path marker = hotRoot.root().resolve(CLEAN_STOP);
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.warnf("cannot record the clean stop in %s (%s); the next start recovers every run", marker,
                    e.getMessage());
            return;
        }
        RunLog.syncDirectory(hotRoot.root());
    }

    /** Files run logs hold open at most, and held now: the bound the budget keeps. */
    public OpenRunFiles openFiles() {
        return openFiles;
    }

    /** Where commits are recorded and a run's committed offsets are found, for every replica. */
    public CommitLedger ledger() {
        return ledger;
    }

    /** True once this replica drains: it takes no new batches (the client reconnects to another replica). */
    public boolean isDraining() {
        return draining;
    }

    public Path hotRoot() {
        return hotRoot.root();
    }

    public String node() {
        return node;
    }

    public void addListener(DurabilityListener listener) {
        listeners.add(listener);
    }

    /** The run's log, opened (created or recovered) if needed. */
    public RunLog open(RunIdentity identity) throws IOException {
        return open(identity, false);
    }

    /**
     * The run's log freshly recovered from its journal: after this replica's lease on the run was
     * lost and taken again, the open log may hold state of the old epoch (refused commits).
     */
    public RunLog reopen(RunIdentity identity) throws IOException {
        return open(identity, true);
    }

    private RunLog open(RunIdentity identity, boolean fresh) throws IOException {
        RunLog log = fresh ? null : runs.get(identity.runId());
        if (log == null || log.isBroken()) {
            log = openOrRecover(identity, fresh);
        }
        openFiles.used(log);  // outside every run log's monitor (OpenRunFiles' lock order)
        return log;
    }

    private RunLog openOrRecover(RunIdentity identity, boolean fresh) throws IOException {
        RunLog log;
        synchronized (this) {
            log = runs.get(identity.runId());
            if (log != null && (fresh || log.isBroken())) {
                runs.remove(identity.runId(), log);
                closeQuietly(log);
                log = null;
            }
            if (log == null) {
                dirtyRuns.mark(identity);  // before recovery or a new journal changes anything
                log = RunLog.open(hotRoot, identity, node, Clock.systemUTC(), config.segments().maxBytes(),
                        config.segments().maxAge(), hotDeleted, ledger, openFiles);
                log.trackDirty(dirtyRuns);
                runs.put(identity.runId(), log);
                if (log.hasPending()) {
                    committer.schedule(log);
                }
            }
            return log;
        }
    }

    /** The run's log if its journal exists on this replica (opening it if needed), else empty. */
    public Optional<RunLog> openIfExists(RunIdentity identity) throws IOException {
        RunLog log = runs.get(identity.runId());
        if (log != null && !log.isBroken()) {
            return Optional.of(log);
        }
        Path journal = hotRoot.resolve(identity.relativeDir()).resolve(Journal.FILE_NAME);
        if (!Files.exists(journal)) {
            return Optional.empty();
        }
        return Optional.of(open(identity));
    }

    /**
     * Closes and forgets the log of a run that no longer exists (purged: its files and index rows
     * were removed by archive-service), so nothing writes or indexes under its id again.
     */
    public void forget(long runId) {
        RunLog log = runs.remove(runId);
        if (log != null) {
            closeQuietly(log);
        }
        dirtyRuns.unmark(runId);
    }

    /** The run's log if this replica has it open. */
    public Optional<RunLog> opened(long runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** Asks the group committer to make the run's pending appends durable. */
    public void commitSoon(RunLog log) {
        committer.schedule(log);
    }

    /**
     * The runs a start after a crash must recover and index: those marked as unfinished or not
     * indexed to the end. Only a hot root written before that list was kept is scanned whole.
     */
    public List<RunIdentity> toRecover() throws IOException {
        if (!dirtyRuns.trusted()) {
            LOG.info("the hot root has no list of runs to recover yet (written by an older version): scanning every"
                    + " journal once");
            return scan();
        }
        List<RunIdentity> marked = dirtyRuns.marked();
        return marked != null ? marked : scan();
    }

    /** Every run directory under the hot root that has a journal, with the identity its header records. */
    private List<RunIdentity> scan() throws IOException {
        List<RunIdentity> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(hotRoot.root())) {
            for (Path p : walk.filter(p -> p.getFileName() != null
                    && p.getFileName().toString().equals(Journal.FILE_NAME)).toList()) {
                try {
                    JournalEntry.Header h = Journal.readHeader(p);
                    if (h == null) {
                        LOG.warnf("%s: journal without a header; skipped", p);
                        continue;
                    }
                    found.add(new RunIdentity(h.runId(), h.experimentId(), h.project(), h.experiment(), h.runPath()));
                } catch (IOException e) {
                    LOG.warnf("%s: unreadable journal (%s); skipped", p, e.getMessage());
                }
            }
        }
        return found;
    }

    /**
     * Drain: seals every open run and commits what is pending before the committer stops, so the
     * replica that takes a run over next continues in a new segment after durable data.
     */
    void onShutdown(@Observes @jakarta.annotation.Priority(SEAL_AT_SHUTDOWN) ShutdownEvent event) {
        draining = true;
        for (RunLog log : runs.values()) {
            try {
                log.seal();
                committer.schedule(log);
            } catch (IOException e) {
                LOG.warnf("%s: sealing at shutdown failed (%s); recovery seals it", log.directory(), e.getMessage());
            }
        }
        committer.close();
        boolean clean = !hadFault;
        for (RunLog log : runs.values()) {
            // Committed and recorded to the end (a ledger that could not be reached leaves commits waiting).
            clean &= !log.hasPending() && !log.hasUnrecorded() && !log.queuedForCommit && !log.isBroken();
            closeQuietly(log);
        }
        runs.clear();
        closedCleanly = clean;
    }

    private static void closeQuietly(RunLog log) {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warnf("closing %s: %s", log.directory(), e.getMessage());
        }
    }
}
