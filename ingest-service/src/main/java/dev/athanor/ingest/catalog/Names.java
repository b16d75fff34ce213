package dev.athanor.ingest.catalog;

import dev.athanor.wire.WireNames;

/**
 * Enforces the ingest API's name rules ({@link WireNames}, shared with the uploader) on request
 * fields: run paths, experiment names, source file names and asset paths become directories and
 * files of the hot raw log, so anything that could escape a run's directory or confuse a filesystem
 * is refused with a message naming the field.
 */
public final class Names {

    /** Reserved for the raw log's own files inside run directories (the journal). */
    public static final String RESERVED_PREFIX = WireNames.RESERVED_PREFIX;
    /** The first segment of every asset path: assets are plugin files of a run. */
    public static final String ASSET_ROOT = WireNames.ASSET_ROOT;

    private Names() {
    }

    /** Returns the run path unchanged if it is acceptable. */
    public static String runPath(String field, String path) {
        return checked(field, path, WireNames.runPathProblem(path));
    }

    /** An experiment name: one directory level in the hot raw log. */
    public static String experimentName(String field, String name) {
        return checked(field, name, WireNames.experimentNameProblem(name));
    }

    /** The base name of a source event file. */
    public static String fileName(String field, String name) {
        return checked(field, name, WireNames.fileNameProblem(name));
    }

    /** The path of an asset file relative to its run directory, under {@code plugins/<plugin>/}. */
    public static String assetPath(String field, String path) {
        return checked(field, path, WireNames.assetPathProblem(path));
    }

    /** The name with control characters escaped, for messages. */
    static String printable(String s) {
        return WireNames.printable(s);
    }

    private static String checked(String field, String name, String problem) {
        if (problem != null) {
            throw new InvalidInputException(field, problem);
        }
        return name;
    }
}
