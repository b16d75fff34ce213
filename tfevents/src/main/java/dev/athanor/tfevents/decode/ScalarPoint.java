package dev.athanor.tfevents.decode;

import dev.athanor.tfevents.compat.TimeSeries;

/**
 * A point of a SCALAR series. A float32 {@code simple_value} or DT_FLOAT tensor is widened
 * exactly; DT_DOUBLE keeps its full precision. NaN and infinities are kept as they are.
 */
public record ScalarPoint(TimeSeries series, long step, double wallTime, double value) implements DecodedValue {
}
