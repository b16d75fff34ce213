package dev.athanor.archive.layout;

import java.nio.file.Path;

/** The ingest raw log's root on this machine; segment paths resolve under it and never outside. */
public final class HotRoot {

    private final Path root;

    public HotRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The hot file of a segment; the path must already have passed {@link ArchiveLayout#keyFor}. */
    public Path resolve(String relativePath) throws UnsafePathException {
        Path p = root.resolve(relativePath).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new UnsafePathException(relativePath, "resolves outside the hot root " + root);
        }
        return p;
    }
}
