package dev.athanor.query.scalars.api;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.scalars.service.ScalarService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/scalars")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scalars")
public class ScalarResource {

    private final ScalarService service;

    public ScalarResource(ScalarService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Scalar series for runs × tags, downsampled to maxPoints min/max buckets per series, or with"
            + " width to the chart's pixel columns (M4, compact shape)")
    @APIResponse(responseCode = "200", description = "ScalarResponse; with width a ChartResponse",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {ScalarResponse.class, ChartResponse.class})))
    public Object get(
            @Parameter(description = "run id; repeat or comma-separate for several") @QueryParam("run") List<String> run,
            @Parameter(description = "experiment id: with filter, selects the runs") @QueryParam("experiment") String experiment,
            @QueryParam("filter") String filter,
            @Parameter(description = "tag; repeat for several; none reads every scalar tag") @QueryParam("tag") List<String> tag,
            @Parameter(description = "points or buckets per series (default 1000)") @QueryParam("maxPoints") String maxPoints,
            @Parameter(description = "step (default), wall_time, or relative (seconds since each series' first point in"
                    + " range; with groupBy, members are aligned on it; not with width)") @QueryParam("x") String x,
            @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax,
            @Parameter(description = "group the runs and return one aggregate curve per group and tag: hparams.<name>,"
                    + " label:<name> (runs with the label / without), label: (by the set of labels),"
                    + " regex:<pattern with one capture group> (on the run name), or experiment, status, group,"
                    + " display_name, color, pinned. Members are cut into the same buckets of step (or, with x=relative, of"
                    + " seconds since each member's first point); each contributes"
                    + " the value of its last point in a bucket") @QueryParam("groupBy") String groupBy,
            @Parameter(description = "with groupBy: mean (default) or median") @QueryParam("aggregate") String aggregate,
            @Parameter(description = "with groupBy: std (default; center ± sample standard deviation) or minmax")
            @QueryParam("band") String band,
            @Parameter(description = "with groupBy: true also returns each member's own aligned series")
            @QueryParam("members") String members,
            @Parameter(description = "instead of maxPoints: the chart's width in pixels (1 to max-points). Each series is"
                    + " cut into pixel columns keeping per column its first, last, lowest and highest point (M4) and"
                    + " the column's mean; the lines of a chart share a budget of columns; the answer is the compact"
                    + " ChartResponse") @QueryParam("width") String width) {
        return service.read(new ScalarQuery(Params.optionalLong("experiment", experiment), Params.longs("run", run),
                filter, tag, Params.optionalInt("maxPoints", maxPoints), x, Params.optionalLong("stepMin", stepMin),
                Params.optionalLong("stepMax", stepMax), groupBy, aggregate, band, Params.optionalBoolean("members", members),
                Params.optionalInt("width", width)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Same as GET, with the selection in a JSON body")
    @APIResponse(responseCode = "200", description = "ScalarResponse; with width a ChartResponse",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {ScalarResponse.class, ChartResponse.class})))
    public Object query(ScalarQuery query) {
        if (query == null) {
            throw new BadInputException("body", "a JSON body is required");
        }
        return service.read(query);
    }
}
