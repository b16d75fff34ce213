package dev.athanor.ingest.rawlog;

/** Which run a raw-log directory belongs to; written as the journal's header. */
public record RunIdentity(long runId, long experimentId, String project, String experiment, String runPath) {

    /** Path of the run directory relative to the hot root, '/'-separated (the logdir layout). */
    public String relativeDir() {
        String base = project + "/" + experiment;
        return runPath.equals(".") ? base : base + "/" + runPath;
    }
}
