package dev.athanor.tfevents.decode;

import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.compat.TimeSeries;

/**
 * A point of a TENSOR series (histograms as {@code [k, 3]} (left, right, count) rows, text,
 * PR curves, custom-scalar layouts...) or of a series whose plugin TensorBoard does not know
 * (data class UNKNOWN). The tensor is the writer's own, or the migrated form of a legacy value.
 */
public record TensorPoint(TimeSeries series, long step, double wallTime, TensorProto tensor) implements DecodedValue {

    public DataType dtype() {
        return tensor.getDtype();
    }

    public long[] shape() {
        return TensorValues.shape(tensor);
    }
}
