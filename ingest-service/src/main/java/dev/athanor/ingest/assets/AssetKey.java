package dev.athanor.ingest.assets;

import dev.athanor.ingest.rawlog.RunIdentity;

/**
 * One asset file of one run: the run (which places it in the hot root) and its path relative to
 * the run directory.
 */
public record AssetKey(RunIdentity run, String path) {

    /** Under the hot root: {@code <project>/<experiment>/<run path>/<path>}, the TensorBoard layout. */
    public String relativePath() {
        return run.relativeDir() + "/" + path;
    }
}
