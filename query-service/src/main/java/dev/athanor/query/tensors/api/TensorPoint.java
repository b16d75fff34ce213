package dev.athanor.query.tensors.api;

/** Any tensor at one step: dtype, shape, and the elements row-major (numbers or strings; null for other dtypes). */
public record TensorPoint(long step, double wallTime, String dtype, long[] shape, Object values) {
}
