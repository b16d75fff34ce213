package dev.athanor.ingest.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        descriptorShortage(openFiles, maxOpenFiles, maxOpenFilesShare).ifPresent(reasons::add);
        return reasons;
    }

    /**
     * Why the process should open no more files for new work: more than {@code maxShare} of its
     * limit is in use. Empty when there is room or the platform does not say.
     */
    public static Optional<String> descriptorShortage(long openFiles, long maxOpenFiles, double maxShare) {
        if (openFiles >= 0 && maxOpenFiles > 0 && openFiles > maxOpenFiles * maxShare) {
            return Optional.of("%d of the %d files this process may open are open (more than %.0f%%, athanor.ingest.health.max-open-files-share)"
                    .formatted(openFiles, maxOpenFiles, maxShare * 100));
        }
        return Optional.empty();
    }
}
