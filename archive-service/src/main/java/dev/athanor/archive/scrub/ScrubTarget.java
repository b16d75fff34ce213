package dev.athanor.archive.scrub;

import dev.athanor.archive.store.StorageTier;

/**
 * One verified copy due for a scrub, as the catalog records it.
 *
 * @param store   the primary store's name, or the destination's for a replica
 * @param hotKept for segments: the hot file is still recorded on the volume (a damaged copy is re-copied from it)
 */
public record ScrubTarget(Kind kind, long id, long runId, String store, String uri, String objectKey, long size,
                          long crc32c, StorageTier tier, boolean hotKept) {

    /** Which catalog table the copy is a row of. */
    public enum Kind {
        /** archive_object: a raw segment in the primary store. */
        SEGMENT,
        /** archive_asset: a run asset file in the primary store. */
        ASSET,
        /** archive_replica: a copy of either in a replication destination. */
        REPLICA
    }

    /** What the service does when this copy is found damaged. */
    public Repair repair() {
        return switch (kind) {
            case SEGMENT -> hotKept ? Repair.RECOPY_FROM_HOT : Repair.NONE;
            case ASSET -> Repair.RECOPY_FROM_HOT;
            case REPLICA -> Repair.RECOPY_FROM_PRIMARY;
        };
    }

    /** archive_damage.repair. */
    public enum Repair { RECOPY_FROM_HOT, RECOPY_FROM_PRIMARY, NONE }
}
