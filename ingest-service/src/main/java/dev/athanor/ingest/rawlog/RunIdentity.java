package dev.athanor.ingest.rawlog;

import dev.athanor.rawlog.HotRoot;

/** Which run a raw-log directory belongs to; written as the journal's header. */
public record RunIdentity(long runId, long experimentId, String project, String experiment, String runPath) {

    /** Path of the run directory relative to the hot root, '/'-separated (the logdir layout). */
    public String relativeDir() {
        return HotRoot.relativeRunDirectory(project, experiment, runPath);
    }
}
