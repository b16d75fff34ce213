package dev.athanor.archive.layout;

import dev.athanor.archive.store.ObjectKeys;
import dev.athanor.rawlog.SegmentNames;

/**
 * Where a raw segment goes in the bucket: {@code <prefix>/<relative path>}, where the relative
 * path is the segment's place under the hot root ({@code <project>/<experiment>/<run path>/<file>}).
 * The archive is therefore a TensorBoard logdir, and a path that could leave the prefix is refused.
 */
public final class ArchiveLayout {

    private final String prefix;

    /** @param prefix '/'-separated folder(s) in the bucket, or empty for the bucket's root */
    public ArchiveLayout(String prefix) {
        String trimmed = prefix.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.isEmpty()) {
            String problem = ObjectKeys.problem(trimmed);
            if (problem != null) {
                throw new IllegalArgumentException("archive prefix '" + prefix + "' is not a safe folder: " + problem);
            }
        }
        this.prefix = trimmed;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * The object key of the segment at {@code relativePath} under the hot root.
     *
     * @throws UnsafePathException when the path could leave the prefix or is not an event file in
     *                             a run folder
     */
    public String keyFor(String relativePath) throws UnsafePathException {
        String problem = ObjectKeys.problem(relativePath);
        if (problem != null) {
            throw new UnsafePathException(relativePath, problem);
        }
        String[] parts = relativePath.split("/");
        if (parts.length < 3) {
            throw new UnsafePathException(relativePath, "expected <project>/<experiment>/[<run>/]<event file>");
        }
        if (!parts[parts.length - 1].startsWith(SegmentNames.EVENT_FILE_MARK)) {
            throw new UnsafePathException(relativePath, "file name does not start with '" + SegmentNames.EVENT_FILE_MARK + "'");
        }
        String key = prefix.isEmpty() ? relativePath : prefix + "/" + relativePath;
        problem = ObjectKeys.problem(key);
        if (problem != null) {
            throw new UnsafePathException(relativePath, "key '" + key + "': " + problem);
        }
        return key;
    }

    /** The folder of one experiment: what to point TensorBoard (or a share link) at. */
    public String experimentPrefix(String project, String experiment) {
        String rel = project + "/" + experiment + "/";
        return prefix.isEmpty() ? rel : prefix + "/" + rel;
    }
}
