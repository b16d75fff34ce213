package dev.athanor.query.export.store;

import java.io.IOException;
import java.util.List;

/** Receives exported values in order: runs by path, tags by name, points by step. */
public interface ExportSink {

    void scalar(String run, String tag, String plugin, long step, double wallTime, double value) throws IOException;

    void tensor(String run, String tag, String plugin, long step, double wallTime, int dtype, long[] shape, int bytes)
            throws IOException;

    /**
     * The metadata people set on a run (display name, labels, note, color, pinned), written before
     * the series, for runs where any of it is set. Sinks that do not carry it ignore it.
     */
    default void runMetadata(String run, String displayName, List<String> labels, String note, String color,
                             boolean pinned) throws IOException {
    }

    void blobs(String run, String tag, String plugin, long step, double wallTime, int[] blobLengths) throws IOException;
}
