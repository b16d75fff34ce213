package dev.athanor.query.tensors.api;

import dev.athanor.query.common.series.PointSampling;
import java.util.List;

/** A tensor series as read: which series, how its steps were picked, the decoded points. */
public record TensorSeries<T>(long runId, String run, String tag, String plugin, PointSampling sampling, List<T> points) {
}
