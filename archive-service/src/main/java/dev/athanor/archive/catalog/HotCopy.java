package dev.athanor.archive.catalog;

/** A hot segment file together with the verified copy that makes it removable. */
public record HotCopy(long segmentId, String relativePath, long size, long crc32c, String objectKey) {
}
