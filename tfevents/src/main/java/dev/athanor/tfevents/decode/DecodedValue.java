package dev.athanor.tfevents.decode;

import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.tfevents.compat.TimeSeries;

/**
 * One point of a run's time series after TensorBoard's compatibility migrations: what the index
 * stores. Every point carries its {@link TimeSeries} (tag, plugin, data class, metadata) by
 * reference; the series object is shared by all points of a tag.
 */
public sealed interface DecodedValue
        permits ScalarPoint, TensorPoint, BlobSequencePoint, HParamsExperiment, HParamsSessionStart, HParamsSessionEnd {

    TimeSeries series();

    long step();

    /** Seconds since the epoch, as the Event stored it. */
    double wallTime();

    default String tag() {
        return series().tag();
    }

    default String pluginName() {
        return series().pluginName();
    }

    default DataClass dataClass() {
        return series().dataClass();
    }
}
