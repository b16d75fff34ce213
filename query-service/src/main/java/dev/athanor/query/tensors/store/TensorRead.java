package dev.athanor.query.tensors.store;

import java.util.List;

/** Tensors read from a series, and how many steps it holds in the requested range. */
public record TensorRead(List<StoredTensor> points, long pointsInRange) {
}
