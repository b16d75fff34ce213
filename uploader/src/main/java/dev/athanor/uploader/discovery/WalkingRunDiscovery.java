package dev.athanor.uploader.discovery;

import dev.athanor.tfevents.event.EventFileNames;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Walks the logdir as TensorBoard does: every directory that directly holds a file whose name
 * contains "tfevents" is a run. Directory symlinks are not followed (no cycles); a symlinked
 * event file is listed, so that a dangling one is reported as unreadable rather than ignored.
 */
public final class WalkingRunDiscovery implements RunDiscovery {

    private final Path logdir;

    public WalkingRunDiscovery(Path logdir) {
        this.logdir = Objects.requireNonNull(logdir, "logdir").toAbsolutePath().normalize();
    }

    @Override
    public LogdirScan scan() throws IOException {
        if (!Files.isDirectory(logdir)) {
            throw missing();
        }
        List<DiscoveredFile> files = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try {
            Files.walkFileTree(logdir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (EventFileNames.isEventFile(name) && (attrs.isRegularFile() || attrs.isSymbolicLink())) {
                        files.add(new DiscoveredFile(runPath(file.getParent()), name, file, sizeOf(file, attrs)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (file.equals(logdir)) {
                        throw e;
                    }
                    // Gone between listing and visiting: an ordinary race with writers.
                    if (!(e instanceof NoSuchFileException)) {
                        unreadable.add(logdir.relativize(file) + ": " + describe(e));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            throw missing();
        }
        files.sort(Comparator.comparing(DiscoveredFile::runPath).thenComparing(DiscoveredFile::fileName));
        return new LogdirScan(files, unreadable);
    }

    private String runPath(Path dir) {
        Path relative = logdir.relativize(dir);
        String path = relative.toString().replace(dir.getFileSystem().getSeparator(), "/");
        return path.isEmpty() ? "." : path;
    }

    private static long sizeOf(Path file, BasicFileAttributes attrs) {
        if (!attrs.isSymbolicLink()) {
            return attrs.size();
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private LogdirMissingException missing() {
        return new LogdirMissingException(logdir, Files.exists(logdir)
                ? "logdir " + logdir + " is not a directory"
                : "logdir " + logdir + " does not exist (removed or unmounted?)");
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }
}
