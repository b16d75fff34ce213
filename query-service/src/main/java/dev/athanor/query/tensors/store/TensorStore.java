package dev.athanor.query.tensors.store;

import dev.athanor.query.scalars.store.StepRange;

/**
 * Reads tensor series (histograms, text, PR curves, other small tensors). Reads are bounded:
 * at most {@code maxPoints} steps, evenly spaced, first and last always kept. Implementations
 * must pass {@code TensorStoreContract}.
 */
public interface TensorStore {

    TensorRead read(long seriesId, StepRange range, int maxPoints);
}
