package dev.athanor.ingest.index;

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

    // Roll-up of every stored point (all data classes), as in the series row.
    long pointCount;
    Long firstStep;
    Long lastStep;
    Double lastValue;
    Double lastWallTime;
    Double minValue;
    Double maxValue;
    long nanCount;
    long infCount;

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
        return lastStep;
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

    /** Adds the buffered scalars to the roll-up; {@code packedFirstStep} is the first step of the chunks written. */
    void rollUpScalars(long packedFirstStep) {
        ScalarPoints fresh = scalars;
        ChunkRollup added = ChunkRollup.of(fresh, 0, fresh.size);
        pointCount += fresh.size;
        firstStep = firstStep == null ? packedFirstStep : Math.min(firstStep, fresh.steps[0]);
        lastStep = lastStep == null ? fresh.lastStep() : Math.max(lastStep, fresh.lastStep());
        lastValue = fresh.values[fresh.size - 1];
        lastWallTime = fresh.wallTimes[fresh.size - 1];
        if (added.min != null) {
            minValue = minValue == null ? added.min : Math.min(minValue, added.min);
            maxValue = maxValue == null ? added.max : Math.max(maxValue, added.max);
        }
        nanCount += added.nanCount;
        infCount += added.infCount;
    }

    /** Adds one tensor or blob point to the roll-up (they carry no value to roll up). */
    void rollUpPoint(long step) {
        pointCount++;
        firstStep = firstStep == null ? step : Math.min(firstStep, step);
        lastStep = lastStep == null ? step : Math.max(lastStep, step);
    }

    void clearBuffers() {
        scalars.clear();
        tensors.clear();
        blobs.clear();
        touched = false;
        rollupStale = false;
    }
}
