package dev.athanor.ingest.ownership;

import java.io.IOException;

/**
 * An append refused because this replica no longer holds the run's lease (expired without
 * renewal, or taken over under a later epoch): nothing of it is made durable, acknowledged or
 * indexed. An IOException, so the writer treats it like a failed append of that run.
 */
public final class FencedException extends IOException {

    public FencedException(RunLease lease) {
        super("refused to append to run " + lease.runId() + ": this replica (" + lease.owner()
                + ") no longer holds its lease at epoch " + lease.epoch());
    }
}
