package dev.athanor.query.blobs.store;

import dev.athanor.query.common.series.SeriesInfo;
import dev.athanor.query.scalars.store.StepRange;
import java.util.Optional;

/**
 * Blob sequences (images, audio, graphs): the index says where each one is, the bytes come from the
 * raw log. Listing is bounded by {@code maxPoints} steps (evenly spaced, newest kept).
 * Implementations must pass {@code BlobStoreContract}.
 */
public interface BlobStore {

    BlobRead list(long seriesId, StepRange range, int maxPoints);

    Optional<BlobSequenceRef> at(long seriesId, long step);

    /**
     * Element {@code index} of the sequence, read from the raw segment with both frame CRCs
     * verified and the Event decoded as TensorBoard migrates it.
     */
    byte[] blob(SeriesInfo series, BlobSequenceRef ref, int index);
}
