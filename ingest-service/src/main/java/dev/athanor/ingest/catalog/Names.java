package dev.athanor.ingest.catalog;

/**
 * Validates the names that become directories of the hot raw log: run paths (relative,
 * '/'-separated, "." for the logdir itself), experiment names (one directory level) and source
 * file names (a base name). Anything that could escape the run's directory or confuse a
 * filesystem is refused with a message naming the field.
 */
public final class Names {

    /** Reserved for the raw log's own files inside run directories (the journal). */
    public static final String RESERVED_PREFIX = ".athanor";

    private static final int MAX_RUN_PATH = 1024;
    private static final int MAX_SEGMENT = 255;

    private Names() {
    }

    /** Returns the run path unchanged if it is acceptable. */
    public static String runPath(String field, String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidInputException(field, "run path is empty (use \".\" for the logdir itself)");
        }
        if (path.equals(".")) {
            return path;
        }
        if (path.length() > MAX_RUN_PATH) {
            throw new InvalidInputException(field, "run path is longer than " + MAX_RUN_PATH + " characters");
        }
        if (path.startsWith("/")) {
            throw new InvalidInputException(field, "run path '" + printable(path) + "' is absolute; it must be relative to the logdir");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw new InvalidInputException(field, "run path '" + printable(path) + "' is absolute (drive letter)");
        }
        for (String segment : path.split("/", -1)) {
            segment(field, "run path '" + printable(path) + "'", segment);
        }
        return path;
    }

    /** An experiment name: one directory level in the hot raw log. */
    public static String experimentName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(field, "experiment name is empty");
        }
        if (name.length() > 256) {
            throw new InvalidInputException(field, "experiment name is longer than 256 characters");
        }
        if (name.indexOf('/') >= 0) {
            throw new InvalidInputException(field, "experiment name '" + printable(name)
                    + "' contains '/'; it names one directory of the raw log");
        }
        segment(field, "experiment name '" + printable(name) + "'", name);
        return name;
    }

    /** The base name of a source event file. */
    public static String fileName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(field, "file name is empty");
        }
        if (name.indexOf('/') >= 0) {
            throw new InvalidInputException(field, "file name '" + printable(name) + "' contains '/'; send the base name only");
        }
        segment(field, "file name '" + printable(name) + "'", name);
        return name;
    }

    /** The first segment of every asset path: assets are plugin files of a run. */
    public static final String ASSET_ROOT = "plugins";

    /**
     * The path of an asset file relative to its run directory: under {@code plugins/<plugin>/},
     * '/'-separated, with the segment rules of run paths. Names containing {@code tfevents} are
     * refused: stored beside the raw log they would turn a plugin directory into a run.
     */
    public static String assetPath(String field, String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidInputException(field, "asset path is empty");
        }
        if (path.length() > MAX_RUN_PATH) {
            throw new InvalidInputException(field, "asset path is longer than " + MAX_RUN_PATH + " characters");
        }
        String what = "asset path '" + printable(path) + "'";
        if (path.startsWith("/") || (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0)))) {
            throw new InvalidInputException(field, what + " is absolute; it must be relative to the run directory");
        }
        String[] segments = path.split("/", -1);
        for (String segment : segments) {
            segment(field, what, segment);
        }
        if (segments.length < 3 || !segments[0].equals(ASSET_ROOT)) {
            throw new InvalidInputException(field, what + " is not a plugin file; asset paths look like "
                    + "plugins/<plugin>/<file> (e.g. plugins/profile/<session>/host.xplane.pb)");
        }
        if (segments[segments.length - 1].contains("tfevents")) {
            throw new InvalidInputException(field, what + " names an event file; event files are uploaded as records");
        }
        return path;
    }

    private static void segment(String field, String what, String segment) {
        if (segment.isEmpty()) {
            throw new InvalidInputException(field, what + " has an empty segment ('//' or a trailing '/')");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new InvalidInputException(field, what + " contains the segment '" + segment + "'");
        }
        if (segment.length() > MAX_SEGMENT) {
            throw new InvalidInputException(field, what + " has a segment longer than " + MAX_SEGMENT + " characters");
        }
        if (segment.startsWith(RESERVED_PREFIX)) {
            throw new InvalidInputException(field, what + " uses the reserved prefix '" + RESERVED_PREFIX + "'");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                throw new InvalidInputException(field, what + " contains a backslash; use '/' between segments");
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new InvalidInputException(field, what + " contains the control character U+%04X at index %d"
                        .formatted((int) c, i));
            }
        }
    }

    /** The name with control characters escaped, for messages. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append("\\u%04x".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
