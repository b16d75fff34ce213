package dev.athanor.uploader.tail;

import dev.athanor.tfevents.record.FileHead;
import dev.athanor.uploader.Problem;
import dev.athanor.uploader.discovery.DiscoveredFile;
import dev.athanor.uploader.discovery.LogdirScan;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every event file being uploaded, kept in step with successive scans of the logdir, and a fair
 * queue of the files that have something to read (each read takes one batch, then the file goes
 * to the back of the queue).
 */
public final class FileSet {

    private final Map<String, TailedFile> files = new LinkedHashMap<>();
    /** The same files by run, so that ordering a run's files looks at that run's files only. */
    private final Map<String, List<TailedFile>> filesByRun = new HashMap<>();
    private final Set<String> runs = new LinkedHashSet<>();
    private final Set<String> reportedScanProblems = new HashSet<>();
    private final Deque<TailedFile> ready = new ArrayDeque<>();
    private final ReaderPool readers;
    private final ProblemSink problems;
    /** What the server held at the last (re)connect, for files discovered later. */
    private Map<String, CommittedFile> committed = Map.of();
    /**
     * Files that vanished after part of them was sent, until the next (re)connect: a file of the
     * same name that appears again (deleted and recreated, or replaced by a copy) continues after
     * what was sent only if it starts with the same record; otherwise it is another file, and
     * uploading it from 0 would merge its tail into the old one's at the server.
     */
    private final Map<String, CommittedFile> departed = new HashMap<>();
    private boolean allComplete;

    public FileSet(ReaderPool readers, ProblemSink problems) {
        this.readers = readers;
        this.problems = problems;
    }

    /** What a scan changed. */
    public record ScanChanges(Set<String> newRuns, int newFiles, int grownFiles, int vanishedFiles) {
        public boolean any() {
            return !newRuns.isEmpty() || newFiles > 0 || grownFiles > 0 || vanishedFiles > 0;
        }
    }

    public ScanChanges apply(LogdirScan scan) {
        Set<String> newRuns = new LinkedHashSet<>();
        int newFiles = 0;
        int grown = 0;
        Set<String> seen = new HashSet<>();
        for (DiscoveredFile found : scan.files()) {
            String key = TailedFile.key(found.runPath(), found.fileName());
            seen.add(key);
            TailedFile file = files.get(key);
            if (file == null) {
                file = new TailedFile(found.runPath(), found.fileName(), found.path(), found.displayName());
                file.complete = allComplete;
                file.lastSize = found.size();
                CommittedFile stored = departed.remove(key);
                if (stored == null) {
                    stored = committed.getOrDefault(key, CommittedFile.NOTHING);
                }
                if (!isAnotherFile(file, stored)) {
                    file.resetTo(stored.offset());
                }
                files.put(key, file);
                filesByRun.computeIfAbsent(found.runPath(), run -> new ArrayList<>()).add(file);
                newFiles++;
                if (runs.add(found.runPath())) {
                    newRuns.add(found.runPath());
                }
                enqueueIfReady(file);
                continue;
            }
            if (found.size() != file.lastSize) {
                if (!file.failed && found.size() < Math.max(file.nextOffset, file.lastSize)) {
                    shrank(file, found.size());
                } else if (!file.failed && rewrittenSinceSent(file)) {
                    rewritten(file);
                } else {
                    grown++;
                }
                file.lastSize = found.size();
                enqueueIfReady(file);
            }
        }
        int vanished = 0;
        for (var it = files.values().iterator(); it.hasNext(); ) {
            TailedFile file = it.next();
            if (!seen.contains(file.key())) {
                it.remove();
                List<TailedFile> ofRun = filesByRun.get(file.runPath());
                ofRun.remove(file);
                if (ofRun.isEmpty()) {
                    filesByRun.remove(file.runPath());
                }
                vanished++;
                if (!file.failed && file.nextOffset > 0 && file.sentHead.isPresent()) {
                    departed.put(file.key(), new CommittedFile(file.nextOffset, file.sentHead));
                }
                if (file.hasData() && file.firstReport(Long.MIN_VALUE)) {
                    problems.report(new Problem(Problem.Kind.FILE_VANISHED, file.runPath(), file.displayName(),
                            file.nextOffset, "%s disappeared after %d of its %d bytes were read; the rest was not uploaded"
                                    .formatted(file.path(), file.nextOffset, file.lastSize)));
                }
                readers.release(file);
            }
        }
        for (String problem : scan.problems()) {
            if (reportedScanProblems.add(problem)) {
                int colon = problem.indexOf(": ");
                problems.report(new Problem(Problem.Kind.UNREADABLE_DIRECTORY, null,
                        colon > 0 ? problem.substring(0, colon) : problem, -1, problem));
            }
        }
        return new ScanChanges(newRuns, newFiles, grown, vanished);
    }

    /** After a (re)connect: every file continues from the server's committed offset (0 if unknown). */
    public void resetTo(Map<String, CommittedFile> committedByKey) {
        this.committed = Map.copyOf(committedByKey);
        departed.clear();
        ready.clear();
        readers.closeAll();
        for (TailedFile file : files.values()) {
            file.queued = false;
            CommittedFile stored = committed.getOrDefault(file.key(), CommittedFile.NOTHING);
            if (isAnotherFile(file, stored)) {
                continue;
            }
            long offset = stored.offset();
            if (offset > file.lastSize) {
                // The last scan may predate bytes that were read (and committed) since.
                file.lastSize = currentSize(file);
            }
            if (!file.failed && offset > file.lastSize) {
                // The server holds more of this file than exists here: not the file it was uploaded from.
                if (file.firstReport(Long.MAX_VALUE)) {
                    problems.report(new Problem(Problem.Kind.FILE_SHRANK, file.runPath(), file.displayName(), offset,
                            "%s has %d bytes but the server already committed %d bytes of a file with this name in this run; not uploaded"
                                    .formatted(file.path(), file.lastSize, offset)));
                }
                file.failed = true;
            }
            file.resetTo(offset);
            enqueueIfReady(file);
        }
    }

    /**
     * True (and reported once) when the server holds part of a file of this name whose first record
     * differs from this file's: the file was rewritten in place since it was uploaded. Resuming it
     * at the stored offset would append the new file's tail to the old file's head, so it is left
     * out with a located problem instead.
     */
    private boolean isAnotherFile(TailedFile file, CommittedFile stored) {
        if (file.failed || stored.offset() == 0 || stored.head().isEmpty()) {
            return false;
        }
        OptionalInt here;
        try {
            here = FileHead.read(file.path());
        } catch (IOException e) {
            return false; // unreadable: the reader reports it when it tries
        }
        if (here.isEmpty() || here.getAsInt() == stored.head().getAsInt()) {
            file.sentHead = stored.head();
            return false;
        }
        file.failed = true;
        if (file.firstReport(0)) {
            problems.report(new Problem(Problem.Kind.FILE_REWRITTEN, file.runPath(), file.displayName(), 0,
                    ("%s is not the file uploaded under this name: its first record differs from the one the server "
                            + "holds (%d bytes of the earlier file are stored); it was rewritten in place, so it was "
                            + "not uploaded. Upload it to another experiment, or give it a new name.")
                            .formatted(file.path(), stored.offset())));
        }
        return true;
    }

    /**
     * Training has ended: no file will grow again. Incomplete records at file ends are read once
     * more and reported (with any whole records found inside them) instead of waited for.
     */
    public void markAllComplete() {
        allComplete = true;
        for (TailedFile file : files.values()) {
            file.complete = true;
            if (file.reader != null) {
                file.reader.markComplete();
            }
            if (file.tailPartialBytes > 0) {
                file.lengthAtEof = -1;
                enqueueIfReady(file);
            }
        }
    }

    /**
     * The next file with something to read, or null when every file is read to its end. Within a
     * run, a file is read only once every file whose name sorts before it has nothing left to
     * read: ingest applies TensorBoard's rewind rule in arrival order (a step at or below the last
     * one replaces the points from there on), so a run's files must arrive in the order
     * TensorBoard reads them, or a preempted job's old file would cut points of the new one.
     */
    public TailedFile nextReady() {
        for (int candidates = ready.size(); candidates > 0 && !ready.isEmpty(); candidates--) {
            TailedFile file = ready.pollFirst();
            file.queued = false;
            if (!file.hasData() || files.get(file.key()) != file) {
                continue;
            }
            if (anEarlierFileOfItsRunHasData(file)) {
                enqueueIfReady(file);
                continue;
            }
            return file;
        }
        return null;
    }

    private boolean anEarlierFileOfItsRunHasData(TailedFile file) {
        for (TailedFile other : filesByRun.getOrDefault(file.runPath(), List.of())) {
            if (other != file && other.fileName().compareTo(file.fileName()) < 0 && other.hasData()) {
                return true;
            }
        }
        return false;
    }

    /** True when some file has something to read (drops queue entries that went stale). */
    public boolean anyReady() {
        ready.removeIf(file -> {
            boolean stale = !file.hasData() || files.get(file.key()) != file;
            if (stale) {
                file.queued = false;
            }
            return stale;
        });
        return !ready.isEmpty();
    }

    /** Puts a file back in the queue after it produced a batch (it may have more). */
    public void requeue(TailedFile file) {
        enqueueIfReady(file);
    }

    /** Leaves a run out from now on (the server refused it): its files are dropped without a report. */
    public void forgetRun(String runPath) {
        for (var it = files.values().iterator(); it.hasNext(); ) {
            TailedFile file = it.next();
            if (file.runPath().equals(runPath)) {
                it.remove();
                readers.release(file);
            }
        }
        runs.remove(runPath);
        filesByRun.remove(runPath);
    }

    public TailedFile get(String key) {
        return files.get(key);
    }

    public Collection<TailedFile> files() {
        return files.values();
    }

    public Set<String> runs() {
        return runs;
    }

    public int fileCount() {
        return files.size();
    }

    /** Sum over files of what exists on disk but is not yet acknowledged. */
    public long unackedBytes() {
        long total = 0;
        for (TailedFile file : files.values()) {
            if (!file.failed) {
                total += Math.max(0, file.lastSize - file.acked - file.tailPartialBytes);
            }
        }
        return total;
    }

    public void close() {
        readers.closeAll();
    }

    Map<String, CommittedFile> committedForTest() {
        return new HashMap<>(committed);
    }

    private static long currentSize(TailedFile file) {
        try {
            return java.nio.file.Files.size(file.path());
        } catch (java.io.IOException e) {
            return file.lastSize;
        }
    }

    private void enqueueIfReady(TailedFile file) {
        if (!file.queued && file.hasData()) {
            file.queued = true;
            ready.addLast(file);
        }
    }

    /**
     * A file that changed size while being uploaded, whose first record on disk is no longer the
     * one sent: rewritten in place and already longer than before (a shrink is caught by size).
     * Reads only the first record, and only of files whose size changed.
     */
    private static boolean rewrittenSinceSent(TailedFile file) {
        if (file.sentHead.isEmpty() || file.nextOffset == 0) {
            return false;
        }
        try {
            OptionalInt here = FileHead.read(file.path());
            return here.isPresent() && here.getAsInt() != file.sentHead.getAsInt();
        } catch (IOException e) {
            return false; // unreadable: the reader reports it when it tries
        }
    }

    private void rewritten(TailedFile file) {
        if (file.firstReport(0)) {
            problems.report(new Problem(Problem.Kind.FILE_REWRITTEN, file.runPath(), file.displayName(), 0,
                    ("%s was rewritten in place while it was uploaded: its first record is no longer the one sent "
                            + "(%d bytes of the earlier file were sent); the new content was not uploaded. Upload it "
                            + "to another experiment, or give it a new name.").formatted(file.path(), file.nextOffset)));
        }
        file.failed = true;
        readers.release(file);
    }

    private void shrank(TailedFile file, long newSize) {
        if (file.firstReport(Long.MAX_VALUE)) {
            problems.report(new Problem(Problem.Kind.FILE_SHRANK, file.runPath(), file.displayName(), newSize,
                    "%s shrank from %d to %d bytes: it was rewritten, not appended to; no longer uploaded"
                            .formatted(file.path(), Math.max(file.nextOffset, file.lastSize), newSize)));
        }
        file.failed = true;
        readers.release(file);
    }
}
