package dev.athanor.ingest.rawlog;

import java.util.Set;

/**
 * Which sealed segments of a run the archive has removed from hot storage after verifying their
 * copy (raw_segment.hot_deleted_at). Recovery accepts those files being gone, and only those.
 */
@FunctionalInterface
public interface HotDeletedSegments {

    /** For tests and setups without an archive: nothing was ever removed. */
    HotDeletedSegments NONE = identity -> Set.of();

    /**
     * Segment file names of the run whose hot copy was removed, or null when the catalog cannot be
     * asked right now (PostgreSQL down): recovery then trusts the journal's seal.
     */
    Set<String> of(RunIdentity identity);
}
