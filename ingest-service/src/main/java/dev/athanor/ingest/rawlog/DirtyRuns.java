package dev.athanor.ingest.rawlog;

import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * the run directory's relative path. A mark is written to a temporary file, fsynced, renamed into
 * place and the directory fsynced, so it is either complete or absent. An unmark only deletes the
 * file: if the deletion is lost in a crash, the run is merely recovered once more.
 */
final class DirtyRuns {

    private static final Logger LOG = Logger.getLogger(DirtyRuns.class);
    /** In the hot root. Its absence means the hot root was written before the list was kept. */
    static final String DIRECTORY = ".athanor.dirty";
    private static final String TEMPORARY = ".tmp";

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

    /** Marks the run durably (no-op when its mark exists). */
    void mark(RunIdentity identity) throws IOException {
        Path marker = dir.resolve(Long.toString(identity.runId()));
        if (Files.exists(marker)) {
            return;
        }
        Path temporary = dir.resolve(identity.runId() + TEMPORARY);
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer content = ByteBuffer.wrap(identity.relativeDir().getBytes(StandardCharsets.UTF_8));
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        }
        Files.move(temporary, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        RunLog.syncDirectory(dir);
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
     * The marked runs with the identity their journal's header records; marks of runs without a
     * journal (marked, then the crash came before the header was written) or of other files are dropped.
     */
    List<RunIdentity> marked() throws IOException {
        List<RunIdentity> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || name.isEmpty()) {
                    Files.deleteIfExists(p);  // a temporary the crash left behind: its rename never happened
                    continue;
                }
                String relative = Files.readString(p, StandardCharsets.UTF_8);
                Path journal;
                try {
                    journal = hotRoot.resolve(relative).resolve(Journal.FILE_NAME);
                } catch (dev.athanor.rawlog.UnsafeHotPathException e) {
                    LOG.warnf("%s: names %s, which is not a run directory under the hot root; skipped", p, relative);
                    continue;
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
                if (h == null || h.runId() != Long.parseLong(name)) {
                    if (h != null) {
                        LOG.warnf("%s: marked for run %s but its journal belongs to run %d; mark dropped", journal,
                                name, h.runId());
                    }
                    Files.deleteIfExists(p);
                    continue;
                }
                found.add(new RunIdentity(h.runId(), h.experimentId(), h.project(), h.experiment(), h.runPath()));
            }
        }
        return found;
    }
}
