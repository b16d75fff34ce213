package dev.athanor.query.export;

import dev.athanor.query.export.store.ExportSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects exported values as readable lines. */
final class RecordingSink implements ExportSink {

    final List<String> lines = new ArrayList<>();

    @Override
    public void scalar(String run, String tag, String plugin, long step, double wallTime, double value) {
        lines.add(run + "|" + tag + "|" + plugin + "|" + step + "|" + wallTime + "|" + value);
    }

    @Override
    public void tensor(String run, String tag, String plugin, long step, double wallTime, int dtype, long[] shape, int bytes) {
        lines.add(run + "|" + tag + "|" + plugin + "|" + step + "|" + wallTime + "|dtype " + dtype + " shape "
                + Arrays.toString(shape) + " bytes " + bytes);
    }

    @Override
    public void blobs(String run, String tag, String plugin, long step, double wallTime, int[] blobLengths) {
        lines.add(run + "|" + tag + "|" + plugin + "|" + step + "|" + wallTime + "|blobs " + Arrays.toString(blobLengths));
    }
}
