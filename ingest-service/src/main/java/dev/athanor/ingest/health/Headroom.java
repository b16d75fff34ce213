package dev.athanor.ingest.health;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a replica has room to take writes: free space on the hot root and file descriptors left.
 * Pure, so the thresholds are tested without filling a disk.
 *
 * @param usableBytes free space on the hot root's filesystem for this process
 * @param openFiles   file descriptors open now, or -1 when the platform does not say
 * @param maxOpenFiles the process's limit (RLIMIT_NOFILE), or -1 when unknown
 */
public record Headroom(long usableBytes, long openFiles, long maxOpenFiles) {

    /** Why writes cannot be taken now, one sentence each; empty when there is room. */
    public List<String> shortages(long minFreeBytes, double maxOpenFilesShare) {
        List<String> reasons = new ArrayList<>();
        if (usableBytes < minFreeBytes) {
            reasons.add("the hot root has %d bytes free, less than the %d it needs (athanor.ingest.health.min-free-bytes)"
                    .formatted(usableBytes, minFreeBytes));
        }
        if (openFiles >= 0 && maxOpenFiles > 0 && openFiles > maxOpenFiles * maxOpenFilesShare) {
            reasons.add("%d of the %d files this process may open are open (more than %.0f%%)"
                    .formatted(openFiles, maxOpenFiles, maxOpenFilesShare * 100));
        }
        return reasons;
    }
}
