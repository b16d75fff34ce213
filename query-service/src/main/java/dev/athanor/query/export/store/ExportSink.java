package dev.athanor.query.export.store;

import java.io.IOException;

/** Receives exported values in order: runs by path, tags by name, points by step. */
public interface ExportSink {

    void scalar(String run, String tag, String plugin, long step, double wallTime, double value) throws IOException;

    void tensor(String run, String tag, String plugin, long step, double wallTime, int dtype, long[] shape, int bytes)
            throws IOException;

    void blobs(String run, String tag, String plugin, long step, double wallTime, int[] blobLengths) throws IOException;
}
