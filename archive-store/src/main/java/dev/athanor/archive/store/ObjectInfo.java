package dev.athanor.archive.store;

import java.util.OptionalLong;

/**
 * What a store reports about one object.
 *
 * @param crc32c the whole-object CRC32C as the store itself computed it, when the store reports
 *               one (GCS always does; S3 when it kept a full-object CRC32C); never a value the
 *               client merely attached as metadata
 */
public record ObjectInfo(String key, long size, OptionalLong crc32c, StorageTier tier) {
}
