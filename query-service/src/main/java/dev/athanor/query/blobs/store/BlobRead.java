package dev.athanor.query.blobs.store;

import java.util.List;

/** Blob sequences listed for a series, and how many steps it holds in the range. */
public record BlobRead(List<BlobSequenceRef> points, long pointsInRange) {
}
