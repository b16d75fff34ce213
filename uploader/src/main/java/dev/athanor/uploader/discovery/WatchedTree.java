package dev.athanor.uploader.discovery;

import dev.athanor.tfevents.event.EventFileNames;
import dev.athanor.tfevents.logdir.Logdir;
import dev.athanor.wire.WireNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the uploader knows of a logdir's directories and event files between scans, so that a scan
 * costs by what changed rather than by the size of the logdir (issue 15: logdirs of thousands of
 * runs).
 *
 * <p>A directory is listed again only when its modification time changed (an entry was added,
 * removed or renamed in it), or while that time is too recent to be trusted (a change within the
 * file system's time granularity after the listing would keep it); otherwise its last listing
 * stands. A file's size is read again only when it is due by its {@link CheckSchedule}: at every
 * scan while it grows, then less and less often while it stays the same, and whenever its
 * directory is listed again (a file replaced by a rename is found then). Directories are looked
 * at on the same schedule. The longest wait ({@code maxIdleMillis}) bounds how late an append to
 * an idle file, or a new file in an idle directory, is noticed. {@link #scan(long, boolean)} with
 * {@code everything} looks at every entry, as a first scan does.
 *
 * <p>The rules of what is a run are the codec's {@link Logdir}'s (every directory holding event
 * files, hidden ones too, except version-control metadata and {@code .athanor*}; links followed,
 * loops reported; PyTorch traces make a run of their directory).
 */
final class WatchedTree {

    /** A directory's listing newer than this (by its modification time) is listed again at its next check. */
    static final long RECENT_LISTING_MILLIS = 2_000;

    private final Path root;
    private final long pollMillis;
    private final long maxIdleMillis;
    private final Map<Path, Dir> dirs = new HashMap<>();
    private long statCalls;

    WatchedTree(Path root, long pollMillis, long maxIdleMillis) {
        this.root = root;
        this.pollMillis = pollMillis;
        this.maxIdleMillis = maxIdleMillis;
    }

    /** One directory as last listed. */
    private static final class Dir {
        final String runPath;
        final boolean inPlugins;
        final CheckSchedule schedule;
        FileTime modified;
        Object fileKey;
        boolean listedTooSoon = true;
        String problem;
        List<Path> subdirs = List.of();
        Map<String, File> eventFiles = Map.of();
        List<Path> traces = List.of();
        boolean hasPlugins;

        Dir(String runPath, boolean inPlugins, CheckSchedule schedule) {
            this.runPath = runPath;
            this.inPlugins = inPlugins;
            this.schedule = schedule;
        }
    }

    /** One event file as last looked at. */
    private static final class File {
        final CheckSchedule schedule;
        DiscoveredFile found;

        File(CheckSchedule schedule, DiscoveredFile found) {
            this.schedule = schedule;
            this.found = found;
        }

        /** Records the size looked at now: true when it differs from the last one. */
        boolean sized(long size) {
            if (size == found.size()) {
                return false;
            }
            found = new DiscoveredFile(found.runPath(), found.fileName(), found.path(), size);
            return true;
        }
    }

    /** What one scan found: every event file (with its last known size), traces, runs with plugin directories. */
    record Found(List<DiscoveredFile> files, Map<String, List<Path>> traces, List<String> pluginRuns,
            List<String> problems) {
    }

    /** How many times the file system was asked for an entry's attributes so far (for tests and benchmarks). */
    long statCalls() {
        return statCalls;
    }

    Found scan(long nowMillis, boolean everything) throws IOException {
        Found found = new Found(new ArrayList<>(), new HashMap<>(), new ArrayList<>(), new ArrayList<>());
        visit(root, ".", false, new HashSet<>(), nowMillis, everything, found);
        return found;
    }

    private void visit(Path path, String runPath, boolean inPlugins, Set<Object> ancestors, long now,
            boolean everything, Found found) throws IOException {
        Dir dir = dirs.get(path);
        if (dir == null || everything || path.equals(root) || dir.schedule.due(now)) {
            BasicFileAttributes attrs;
            try {
                attrs = stat(path);
            } catch (IOException e) {
                forget(path);
                if (path.equals(root)) {
                    throw e;
                }
                if (!(e instanceof NoSuchFileException)) {
                    found.problems().add("%s: cannot be read (%s); skipped".formatted(path, describe(e)));
                }
                return;
            }
            if (!attrs.isDirectory()) {
                forget(path);
                if (path.equals(root)) {
                    throw new NoSuchFileException(path.toString(), null, "not a directory");
                }
                return;
            }
            if (dir == null) {
                dir = new Dir(runPath, inPlugins, schedule(path));
                dirs.put(path, dir);
            }
            boolean changed = !attrs.lastModifiedTime().equals(dir.modified);
            if (changed || dir.listedTooSoon || dir.problem != null || everything) {
                dir.modified = attrs.lastModifiedTime();
                dir.fileKey = attrs.fileKey();
                list(path, dir, now, everything);
                dir.listedTooSoon = now - dir.modified.toMillis() < RECENT_LISTING_MILLIS;
            }
            if (changed || dir.listedTooSoon) {
                dir.schedule.changed(now);
            } else {
                dir.schedule.unchanged(now);
            }
        }
        if (dir.problem != null) {
            found.problems().add(dir.problem);
        }
        if (dir.fileKey != null && !ancestors.add(dir.fileKey)) {
            found.problems().add("%s: symbolic link loops back to a directory being scanned; skipped".formatted(path));
            return;
        }
        for (File file : dir.eventFiles.values()) {
            if (everything || file.schedule.due(now)) {
                refresh(file, now);
            }
            found.files().add(file.found);
        }
        if (!dir.traces.isEmpty()) {
            found.traces().put(runPath, dir.traces);
        }
        if (dir.hasPlugins) {
            found.pluginRuns().add(runPath);
        }
        for (Path sub : dir.subdirs) {
            Dir known = dirs.get(sub);
            String name = sub.getFileName().toString();
            visit(sub, known != null ? known.runPath : ".".equals(runPath) ? name : runPath + "/" + name,
                    inPlugins || name.equals(WireNames.ASSET_ROOT), ancestors, now, everything, found);
        }
        if (dir.fileKey != null) {
            ancestors.remove(dir.fileKey);
        }
    }

    /** Lists a directory again: its subdirectories, event files (new ones with their size) and traces. */
    private void list(Path path, Dir dir, long now, boolean everything) {
        List<Path> subdirs = new ArrayList<>();
        Map<String, File> eventFiles = new TreeMap<>();
        List<Path> traces = new ArrayList<>();
        boolean hasPlugins = false;
        dir.problem = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                BasicFileAttributes attrs;
                try {
                    attrs = stat(entry);
                } catch (NoSuchFileException gone) {
                    continue; // removed since the listing, or a dangling link
                } catch (IOException e) {
                    if (EventFileNames.isEventFile(name)) {
                        // listed anyway, so that reading it reports the problem by name
                        eventFiles.put(name, known(dir, entry, 0, now));
                    }
                    continue;
                }
                if (attrs.isDirectory()) {
                    if (!Logdir.isSkippedDirectoryName(name)) {
                        subdirs.add(entry);
                        hasPlugins |= name.equals(WireNames.ASSET_ROOT);
                    }
                } else if (attrs.isRegularFile() && EventFileNames.isEventFile(name)) {
                    eventFiles.put(name, known(dir, entry, attrs.size(), now));
                } else if (attrs.isRegularFile() && !dir.inPlugins && Logdir.isRunTraceName(name)) {
                    traces.add(entry);
                }
            }
        } catch (IOException e) {
            dir.problem = "%s: cannot be read (%s); skipped".formatted(path, describe(e));
        }
        Set<Path> kept = new HashSet<>(subdirs);
        for (Path gone : dir.subdirs) {
            if (!kept.contains(gone)) {
                forget(gone);
            }
        }
        subdirs.sort(null);
        traces.sort(null);
        dir.subdirs = subdirs;
        dir.eventFiles = eventFiles;
        dir.traces = traces;
        dir.hasPlugins = hasPlugins;
    }

    /** A file just listed with its size: the state kept for it, changed (or new) when the size differs. */
    private File known(Dir dir, Path entry, long size, long now) {
        String name = entry.getFileName().toString();
        File file = dir.eventFiles.get(name);
        if (file == null) {
            file = new File(schedule(entry), new DiscoveredFile(dir.runPath, name, entry, size));
            file.schedule.changed(now);
        } else if (file.sized(size)) {
            file.schedule.changed(now);
        } else {
            file.schedule.unchanged(now);
        }
        return file;
    }

    private void refresh(File file, long now) {
        long size;
        try {
            size = stat(file.found.path()).size();
        } catch (IOException e) {
            return; // gone or unreadable: the directory's next listing, or the reader, tells
        }
        if (file.sized(size)) {
            file.schedule.changed(now);
        } else {
            file.schedule.unchanged(now);
        }
    }

    /** Drops a directory that is gone, and everything known below it. */
    private void forget(Path path) {
        Dir dir = dirs.remove(path);
        if (dir != null) {
            for (Path sub : dir.subdirs) {
                forget(sub);
            }
        }
    }

    private CheckSchedule schedule(Path path) {
        return new CheckSchedule(pollMillis, maxIdleMillis, Objects.hashCode(path));
    }

    private BasicFileAttributes stat(Path path) throws IOException {
        statCalls++;
        return Files.readAttributes(path, BasicFileAttributes.class);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
