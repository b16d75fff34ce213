package dev.athanor.ingest.index;

import dev.athanor.index.write.ScalarPoints;
import dev.athanor.index.write.SeriesRollup;
import dev.athanor.tfevents.compat.TimeSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * What the indexer knows about one (run, tag) series: its id, its roll-up as stored, the last
 * (partly filled) scalar chunk, and the points buffered by the current transaction.
 */
final class SeriesState {

    /** A tensor point waiting to be written. */
    record TensorRow(long step, double wallTime, int dtype, long[] shape, byte[] tensor) {
    }

    /** A blob-sequence point waiting to be written: where its record lies in the raw log. */
    record BlobRow(long step, double wallTime, int segmentSeq, long recordOffset, int recordLength, int[] blobLengths) {
    }

    final String tag;
    final TimeSeries series;
    long id;               // 0 until the series row exists

    /** Roll-up of every stored point (all data classes), as in the series row. */
    SeriesRollup rollup = new SeriesRollup();

    /** The series' last scalar chunk if it is not full; null when unknown or full. */
    ScalarPoints tail;
    long tailFirstStep;
    boolean tailLoaded;

    // Buffered by the current transaction.
    final ScalarPoints scalars = new ScalarPoints(16);
    final List<TensorRow> tensors = new ArrayList<>();
    final List<BlobRow> blobs = new ArrayList<>();
    boolean touched;
    boolean rollupStale;

    SeriesState(String tag, TimeSeries series) {
        this.tag = tag;
        this.series = series;
    }

    /** Step of the last point known, buffered or stored; null when there is none. */
    Long effectiveLastStep() {
        long last = Long.MIN_VALUE;
        boolean any = false;
        if (!scalars.isEmpty()) {
            last = scalars.lastStep();
            any = true;
        }
        if (!tensors.isEmpty()) {
            last = Math.max(last, tensors.getLast().step());
            any = true;
        }
        if (!blobs.isEmpty()) {
            last = Math.max(last, blobs.getLast().step());
            any = true;
        }
        if (any) {
            return last;
        }
        return rollup.lastStep();
    }

    /** Drops buffered points at steps >= {@code step}. */
    void truncateBuffered(long step) {
        scalars.truncateFrom(step);
        while (!tensors.isEmpty() && tensors.getLast().step() >= step) {
            tensors.removeLast();
        }
        while (!blobs.isEmpty() && blobs.getLast().step() >= step) {
            blobs.removeLast();
        }
    }

    void clearBuffers() {
        scalars.clear();
        tensors.clear();
        blobs.clear();
        touched = false;
        rollupStale = false;
    }
}
