package dev.athanor.query.blobs.api;

import dev.athanor.query.common.series.PointSampling;
import java.util.List;

/** The blob sequences of a (run, tag): per step, each blob's index, size, role and download URL. */
public record BlobSeries(long runId, String run, String tag, String plugin, PointSampling sampling, List<Step> points) {

    public record Step(long step, double wallTime, List<Blob> blobs) {
    }

    /**
     * @param role what the element is: for images "width", "height", then "image"; "audio" for
     *             audio clips; "graph" for graphs; otherwise "blob"
     */
    public record Blob(int index, long length, String role, String url) {
    }
}
