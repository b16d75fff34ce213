package dev.athanor.wire;

import java.nio.charset.StandardCharsets;

/**
 * What the ingest API accepts as names: run paths (relative, '/'-separated, "." for the logdir
 * itself), experiment names and source file names (one directory level), asset paths. Each name
 * becomes a directory or file of the hot raw log, so the rules are a filesystem's, counted in UTF-8
 * bytes as filesystems count them (a segment of 255 characters can be 765 bytes). ingest enforces
 * them and the uploader checks them before sending, so a name is refused in the same words on both
 * sides: by the uploader as one skipped run, not by the server as a failed stream.
 *
 * <p>Each check returns null when the name is acceptable, else a sentence naming what is wrong.
 */
public final class WireNames {

    /** Reserved for the raw log's own files inside run directories (the journal). */
    public static final String RESERVED_PREFIX = ".athanor";
    /** The first segment of asset paths: assets are plugin files of a run (and PyTorch traces, below). */
    public static final String ASSET_ROOT = "plugins";
    /**
     * Endings of the traces PyTorch's {@code tensorboard_trace_handler} writes straight into the run
     * directory ({@code <worker>.<timestamp>.pt.trace.json[.gz]}): the one kind of asset outside
     * {@code plugins/}, kept where PyTorch put it so the stored run keeps PyTorch's layout.
     */
    private static final String[] RUN_ROOT_TRACE_SUFFIXES = {".pt.trace.json", ".pt.trace.json.gz"};
    /** Longest path segment (Linux NAME_MAX, and most other filesystems'). */
    public static final int MAX_SEGMENT_BYTES = 255;
    /** Longest run or asset path: leaves room for the hot root and experiment under PATH_MAX. */
    public static final int MAX_PATH_BYTES = 1024;

    private static final int MAX_PRINTABLE = 200;

    private WireNames() {
    }

    /** A run path relative to the logdir. */
    public static String runPathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "run path is empty (use \".\" for the logdir itself)";
        }
        if (path.equals(".")) {
            return null;
        }
        String what = "run path '" + printable(path) + "'";
        String problem = pathProblem(what, path);
        if (problem != null) {
            return problem;
        }
        return segmentsProblem(what, path.split("/", -1));
    }

    /** An experiment name: one directory level of the hot raw log. */
    public static String experimentNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "experiment name is empty";
        }
        String what = "experiment name '" + printable(name) + "'";
        if (name.indexOf('/') >= 0) {
            return what + " contains '/'; it names one directory of the raw log";
        }
        return segmentProblem(what, name);
    }

    /** The base name of a source event file. */
    public static String fileNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "file name is empty";
        }
        String what = "file name '" + printable(name) + "'";
        if (name.indexOf('/') >= 0) {
            return what + " contains '/'; send the base name only";
        }
        return segmentProblem(what, name);
    }

    /** Whether {@code fileName} is a PyTorch trace, which is an asset right in the run directory. */
    public static boolean isRunRootTrace(String fileName) {
        for (String suffix : RUN_ROOT_TRACE_SUFFIXES) {
            if (fileName.length() > suffix.length() && fileName.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path of an asset file relative to its run directory: under {@code plugins/<plugin>/}, or a
     * PyTorch trace right in the run directory ({@link #isRunRootTrace}), with the segment rules of
     * run paths. Names containing {@code tfevents} are refused: stored beside the raw log they would
     * turn a plugin directory into a run.
     */
    public static String assetPathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "asset path is empty";
        }
        String what = "asset path '" + printable(path) + "'";
        String problem = pathProblem(what, path);
        if (problem != null) {
            return problem.replace("relative to the logdir", "relative to the run directory");
        }
        String[] segments = path.split("/", -1);
        problem = segmentsProblem(what, segments);
        if (problem != null) {
            return problem;
        }
        boolean pluginFile = segments.length >= 3 && segments[0].equals(ASSET_ROOT);
        boolean runRootTrace = segments.length == 1 && isRunRootTrace(segments[0]);
        if (!pluginFile && !runRootTrace) {
            return what + " is not a plugin file; asset paths look like plugins/<plugin>/<file> "
                    + "(e.g. plugins/profile/<session>/host.xplane.pb) or <worker>.<timestamp>.pt.trace.json[.gz]";
        }
        if (segments[segments.length - 1].contains("tfevents")) {
            return what + " names an event file; event files are uploaded as records";
        }
        return null;
    }

    /** The name with control characters escaped and cut to a readable length, for messages. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_PRINTABLE));
        for (int i = 0; i < s.length() && out.length() < MAX_PRINTABLE; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append("\\u%04x".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String pathProblem(String what, String path) {
        if (path.startsWith("/")) {
            return what + " is absolute; it must be relative to the logdir";
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            return what + " is absolute (drive letter); it must be relative to the logdir";
        }
        String encoding = encodingProblem(what, path);
        if (encoding != null) {
            return encoding;
        }
        int bytes = utf8Length(path);
        if (bytes > MAX_PATH_BYTES) {
            return what + " has " + bytes + " bytes in UTF-8, more than " + MAX_PATH_BYTES;
        }
        return null;
    }

    private static String segmentsProblem(String what, String[] segments) {
        for (String segment : segments) {
            String problem = segmentProblem(what, segment);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String segmentProblem(String what, String segment) {
        if (segment.isEmpty()) {
            return what + " has an empty segment ('//' or a trailing '/')";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return what + " contains the segment '" + segment + "'";
        }
        if (segment.startsWith(RESERVED_PREFIX)) {
            return what + " uses the reserved prefix '" + RESERVED_PREFIX + "'";
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                return what + " contains a backslash; use '/' between segments";
            }
            if (Character.isISOControl(c)) {
                return what + " contains the control character U+%04X at index %d".formatted((int) c, i);
            }
        }
        String encoding = encodingProblem(what, segment);
        if (encoding != null) {
            return encoding;
        }
        int bytes = utf8Length(segment);
        if (bytes > MAX_SEGMENT_BYTES) {
            return what + " has a segment of " + bytes + " bytes in UTF-8, more than a file name may have ("
                    + MAX_SEGMENT_BYTES + ")";
        }
        return null;
    }

    /** A lone surrogate has no UTF-8 form: the name could not be the same on disk and in the index. */
    private static String encodingProblem(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return what + " is not valid Unicode (a lone surrogate U+%04X at index %d)".formatted((int) c, i);
            }
        }
        return null;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
