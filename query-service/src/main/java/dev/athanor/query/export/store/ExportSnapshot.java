package dev.athanor.query.export.store;

import dev.athanor.query.runs.store.RunRef;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * An open, consistent view of the index: everything written is as of {@link #snapshotTime()},
 * however long the export streams while ingest keeps writing. Must be closed.
 */
public interface ExportSnapshot extends AutoCloseable {

    Instant snapshotTime();

    List<RunRef> runs();

    /** Streams every selected value to the sink, with bounded memory. */
    void write(ExportSink sink) throws IOException;

    @Override
    void close();
}
