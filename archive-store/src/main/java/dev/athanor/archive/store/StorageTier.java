package dev.athanor.archive.store;

/**
 * Where an archived object sits. Each backend maps these to its own storage classes (S3 STANDARD /
 * GLACIER…, GCS STANDARD / ARCHIVE…); the filesystem backend only records the tier.
 */
public enum StorageTier {
    /** Object storage, standard class: read at once. */
    WARM,
    /** An archive storage class: cheaper to keep, may need a restore before reading. */
    COLD
}
