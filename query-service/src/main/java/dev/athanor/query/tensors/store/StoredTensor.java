package dev.athanor.query.tensors.store;

/** One tensor_point row: a serialized TensorProto at a step. */
public record StoredTensor(long step, double wallTime, int dtype, long[] shape, byte[] tensor) {
}
