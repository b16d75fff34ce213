package dev.athanor.query.scalars.api;

import dev.athanor.query.scalars.store.DownsampledSeries;
import java.util.List;

/** Series read, and the (run, tag) pairs asked for that have no scalar series. */
public record ScalarResponse(List<DownsampledSeries> series, List<Missing> missing) {

    public record Missing(long runId, String run, String tag, String reason) {
    }
}
