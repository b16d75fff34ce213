package dev.athanor.query.archive.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A run's raw segments and where each one's bytes are. */
public record RunArchive(long runId, List<Segment> segments) {

    /**
     * @param hot          the hot file is the copy readers use
     * @param archiveTier  WARM or COLD when a verified archived copy exists
     * @param restoreState the last restore of the archived copy, if any was asked
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Segment(long segmentId, String relativePath, String state, long sizeBytes, boolean hot,
                          String archiveTier, String archiveState, String restoreState) {
    }
}
