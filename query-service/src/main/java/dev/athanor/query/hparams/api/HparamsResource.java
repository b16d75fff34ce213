package dev.athanor.query.hparams.api;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.paging.Paging;
import dev.athanor.query.hparams.service.HparamsService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/experiments/{experimentId}/hparams")
@Tag(name = "hparams")
public class HparamsResource {

    private final HparamsService service;
    private final Paging paging;

    public HparamsResource(HparamsService service, Paging paging) {
        this.service = service;
        this.paging = paging;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The hparams table's columns: hparams (typed, with ranges) and metrics")
    public HparamsInfo info(@PathParam("experimentId") long experimentId) {
        return service.info(experimentId);
    }

    @GET
    @Path("sessions")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "Sessions with hparams and metric values; filter, sort, page; format=csv downloads")
    public Response sessions(@PathParam("experimentId") long experimentId,
                             @Parameter(description = "run filter; metrics.<key> names a metric column") @QueryParam("filter") String filter,
                             @Parameter(description = "e.g. -metrics.validation/epoch_accuracy,hparams.lr") @QueryParam("sort") String sort,
                             @Parameter(description = "comma-separated metric keys (default: all)") @QueryParam("metrics") String metrics,
                             @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
                             @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        if (format == null || format.isBlank() || format.equalsIgnoreCase("json")) {
            return Response.ok(service.sessions(experimentId, filter, sort, metrics, paging.request(offset, limit)),
                    MediaType.APPLICATION_JSON_TYPE).build();
        }
        if (!format.equalsIgnoreCase("csv")) {
            throw new BadInputException("format", "format must be json or csv; got '" + format + "'");
        }
        return Response.ok(service.csv(experimentId, filter, sort, metrics), "text/csv; charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"experiment-" + experimentId + "-hparams.csv\"")
                .build();
    }

    @GET
    @Path("groups")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Session groups: sessions grouped by an hparam, a label, a run attribute or a regex capture on the"
            + " run name, with AVG, MEDIAN, MIN and MAX of each metric per group")
    public SessionGroups groups(@PathParam("experimentId") long experimentId,
                                @Parameter(description = "hparams.<name>, label:<name>, label:, regex:<pattern with one group>, or a run attribute")
                                @QueryParam("groupBy") String groupBy,
                                @Parameter(description = "run filter applied to the sessions before grouping") @QueryParam("filter") String filter,
                                @Parameter(description = "comma-separated metric keys (default: all)") @QueryParam("metrics") String metrics) {
        return service.groups(experimentId, groupBy, filter, metrics);
    }
}
