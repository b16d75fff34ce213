package dev.athanor.ingest.rawlog;

import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The durable list of runs a crash would leave work for: a run is marked before its log is opened
 * or written (so recovery after a crash at any later point finds it), and unmarked once it is
 * sealed, committed and indexed to the end. Start-up after a crash recovers only marked runs and
 * never opens a finished, fully indexed run's journal.
 *
 * <p>One file per run in {@value #DIRECTORY} under the hot root, named by the run id and holding
 * the run directory's relative path and a newline. Marking costs no fsync on the caller's thread:
 * the file is written, and the run's next commit fsyncs the list's directory ({@link #syncMarks})
 * before it makes any of the run's journal durable, one directory fsync for every mark written
 * since the last. The file's content may then still be lost in a crash (the directory entry is
 * durable, the bytes perhaps not): a mark whose content is not a complete path makes start-up
 * scan every journal, as it did before the list existed, so no run is ever missed. An unmark only
 * deletes the file: if the deletion is lost in a crash, the run is merely recovered once more.
 */
final class DirtyRuns {

    private static final Logger LOG = Logger.getLogger(DirtyRuns.class);
    /** In the hot root. Its absence means the hot root was written before the list was kept. */
    static final String DIRECTORY = ".athanor.dirty";
    private static final String TEMPORARY = ".tmp";
    /** Marks written and marks whose directory entry is durable (a count of calls), guarded by this. */
    private long written;
    private long synced;

    private final HotRoot hotRoot;
    private final Path dir;
    /** False when the list did not exist at start: every journal must then be scanned once. */
    private final boolean trusted;

    DirtyRuns(HotRoot hotRoot) {
        this.hotRoot = hotRoot;
        this.dir = hotRoot.root().resolve(DIRECTORY);
        try {
            trusted = Files.isDirectory(dir);
            if (!trusted) {
                Files.createDirectories(dir);
                RunLog.syncDirectory(hotRoot.root());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the list of runs to recover " + dir, e);
        }
    }

    /** True when the list is complete: runs not in it need no recovery. */
    boolean trusted() {
        return trusted;
    }

    /** Marks the run; durable once {@link #syncMarks} returns (no-op when its mark exists). */
    void mark(RunIdentity identity) throws IOException {
        Path marker = dir.resolve(Long.toString(identity.runId()));
        if (Files.exists(marker)) {
            return;
        }
        Files.writeString(marker, identity.relativeDir() + "\n", StandardCharsets.UTF_8);
        synchronized (this) {
            written++;
        }
    }

    /** Makes every mark written so far durable: called by a commit before it makes a journal durable. */
    synchronized void syncMarks() {
        if (synced == written) {
            return;
        }
        long upTo = written;
        RunLog.syncDirectory(dir);
        synced = upTo;
    }

    /** The run needs no recovery any more. */
    void unmark(long runId) {
        try {
            Files.deleteIfExists(dir.resolve(Long.toString(runId)));
        } catch (IOException e) {
            LOG.debugf("cannot remove the recovery mark of run %d (%s); it is recovered once more after a crash",
                    runId, e.getMessage());
        }
    }

    /** Forgets every mark (the last stop left nothing to recover). */
    void clear() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : listing.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The marked runs with the identity their journal's header records, or null when a mark is
     * incomplete (its content lost in a crash) and so every journal must be scanned. Marks of runs
     * without a journal (the crash came before the header was written) are dropped.
     */
    List<RunIdentity> marked() throws IOException {
        List<RunIdentity> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    Files.deleteIfExists(p);  // a temporary of an older version, not a mark
                    continue;
                }
                String content = Files.readString(p, StandardCharsets.UTF_8);
                if (!content.endsWith("\n")) {
                    LOG.warnf("%s: the mark's content was lost in a crash; scanning every journal", p);
                    return null;
                }
                String relative = content.substring(0, content.length() - 1);
                Path journal;
                try {
                    journal = hotRoot.resolve(relative).resolve(Journal.FILE_NAME);
                } catch (dev.athanor.rawlog.UnsafeHotPathException e) {
                    LOG.warnf("%s: names %s, not a run directory under the hot root; scanning every journal", p,
                            relative);
                    return null;
                }
                JournalEntry.Header h;
                try {
                    h = Journal.readHeader(journal);
                } catch (NoSuchFileException e) {
                    h = null;
                } catch (IOException e) {
                    LOG.warnf("%s: unreadable journal (%s); skipped", journal, e.getMessage());
                    continue;
                }
                if (h == null) {
                    Files.deleteIfExists(p);  // marked, then the crash came before its header: nothing written
                    continue;
                }
                if (h.runId() != Long.parseLong(name)) {
                    LOG.warnf("%s: marked for run %s but its journal belongs to run %d; scanning every journal",
                            journal, name, h.runId());
                    return null;
                }
                found.add(new RunIdentity(h.runId(), h.experimentId(), h.project(), h.experiment(), h.runPath()));
            }
        }
        return found;
    }
}
