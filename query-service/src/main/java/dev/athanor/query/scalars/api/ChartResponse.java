package dev.athanor.query.scalars.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A chart's scalars reduced to its pixel width (a request with {@code width}): the compact shape.
 * Each line is the M4 polyline of its series (per pixel column the first, last, lowest and
 * highest points, in x order) with the mean of each column for smoothing. x values live in
 * {@code xs}; a line names its column by index, so runs logged at the same steps share one.
 *
 * @param chart   how the lines were reduced
 * @param xs      the x columns (steps, or wall times in epoch seconds), each sent once
 * @param series  one line per (run, tag) series, in the selection's order
 * @param missing (run, tag) pairs asked for that have no scalar series
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChartResponse(Chart chart, List<NumberColumn> xs, List<Line> series, List<ScalarResponse.Missing> missing) {

    /**
     * @param format           {@code m4}
     * @param x                {@code step} or {@code wall_time}: what the columns are laid out over
     * @param width            the width asked for, in pixels
     * @param bucketsPerSeries columns each series was cut into at most: the width, or fewer when many
     *                         series share the chart's point budget (on steps, columns laid out on
     *                         the chunks' sub-block edges may be somewhat wider, hence fewer)
     * @param seriesPerChart   the most series of one tag in this answer (what the budget was shared by)
     */
    public record Chart(String format, String x, int width, int bucketsPerSeries, int seriesPerChart) {
    }

    /**
     * @param x             index into {@code xs} of the points' x values
     * @param step          with x = wall_time: index into {@code xs} of the points' steps
     * @param y             the points' values
     * @param buckets       per non-empty column, how many consecutive points of x/y are its (1–4)
     * @param mean          per non-empty column, the mean of its finite values (float precision;
     *                      null when it has none)
     * @param pointsInRange points the columns stand for
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(long runId, String run, String tag, long totalPoints, long pointsInRange, int x, Integer step,
                       NumberColumn y, int[] buckets, NumberColumn mean) {
    }
}
