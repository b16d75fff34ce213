package dev.athanor.rawlog;

import dev.athanor.archive.store.ObjectKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The hot raw log's root on this machine and its layout: a run's directory is
 * {@code <project>/<experiment>[/<run path>]} (the TensorBoard logdir layout), a segment is a file
 * in it. Every path handed out stays under the root: relative paths from names or catalog rows
 * are refused when absolute, when they hold '..', '.', empty segments, backslashes or control
 * characters, and when an existing symbolic link on the way points outside the root.
 */
public final class HotRoot {

    private final Path root;

    public HotRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** A run directory's path relative to the root, '/'-separated; run path "." is the experiment's own folder. */
    public static String relativeRunDirectory(String project, String experiment, String runPath) {
        String base = project + "/" + experiment;
        return runPath.equals(".") ? base : base + "/" + runPath;
    }

    /** The directory of a run. */
    public Path runDirectory(String project, String experiment, String runPath) throws UnsafeHotPathException {
        return resolve(relativeRunDirectory(project, experiment, runPath));
    }

    /**
     * The file or directory at {@code relativePath} ('/'-separated, e.g. raw_segment.relative_path).
     *
     * @throws UnsafeHotPathException when the path could leave the root
     */
    public Path resolve(String relativePath) throws UnsafeHotPathException {
        // Object keys and hot paths follow the same rules: relative, '/'-separated, no dot segments.
        String problem = ObjectKeys.problem(relativePath);
        if (problem != null) {
            throw new UnsafeHotPathException(relativePath, root, problem);
        }
        Path path = root.resolve(relativePath).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new UnsafeHotPathException(relativePath, root, "resolves to " + path);
        }
        refuseLinksOutside(relativePath, path);
        return path;
    }

    /** The lexical check cannot see symbolic links: follow the deepest part of the path that exists. */
    private void refuseLinksOutside(String relativePath, Path path) throws UnsafeHotPathException {
        Path existing = path;
        while (existing != null && !existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || existing.equals(root)) {
            return;
        }
        Path real;
        Path realRoot;
        try {
            real = existing.toRealPath();
            realRoot = root.toRealPath();
        } catch (IOException e) {
            // A dangling link: nothing outside can be reached through it now, but refuse it anyway.
            throw new UnsafeHotPathException(relativePath, root, "cannot follow " + existing + " (" + e.getMessage() + ")");
        }
        if (!real.startsWith(realRoot)) {
            throw new UnsafeHotPathException(relativePath, root, "a symbolic link leads to " + real);
        }
    }
}
