package dev.athanor.query.scalars.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.athanor.query.scalars.store.DownsampledSeries;
import java.util.List;

/**
 * Series read, and the (run, tag) pairs asked for that have no scalar series. With
 * {@code groupBy}: the groups with their aggregate curves and how they were computed; {@code
 * series} then holds the members' own (aligned) series only when asked for with {@code members}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScalarResponse(List<DownsampledSeries> series, List<Missing> missing, ScalarGroup.Grouping grouping,
                             List<ScalarGroup> groups) {

    public ScalarResponse(List<DownsampledSeries> series, List<Missing> missing) {
        this(series, missing, null, null);
    }

    public record Missing(long runId, String run, String tag, String reason) {
    }
}
