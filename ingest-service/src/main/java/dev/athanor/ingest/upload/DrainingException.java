package dev.athanor.ingest.upload;

import java.io.IOException;

/** This replica is draining (shutting down): it takes no new batches; another replica takes the run over. */
public final class DrainingException extends IOException {

    public DrainingException(String node) {
        super("ingest replica " + node + " is draining and takes no new batches; reconnect (another replica"
                + " continues the run from its committed offsets)");
    }
}
