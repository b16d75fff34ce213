package dev.athanor.query.export.api;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.export.service.ExportService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/export")
@Tag(name = "export")
public class ExportResource {

    private final ExportService service;

    public ExportResource(ExportService service) {
        this.service = service;
    }

    @GET
    @Produces({"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Stream every value of a selection as JSON Lines or CSV, from one consistent snapshot")
    public Response get(@QueryParam("experiment") String experiment,
                        @Parameter(description = "run id; repeat or comma-separate") @QueryParam("run") List<String> run,
                        @QueryParam("filter") String filter, @QueryParam("tag") List<String> tag,
                        @Parameter(description = "plugin, e.g. scalars; repeat for several") @QueryParam("plugin") List<String> plugin,
                        @Parameter(description = "jsonl (default) or csv") @QueryParam("format") String format,
                        @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax) {
        return respond(new ExportRequest(Params.optionalLong("experiment", experiment), Params.longs("run", run), filter,
                tag, plugin, format, Params.optionalLong("stepMin", stepMin), Params.optionalLong("stepMax", stepMax)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Same as GET, with the selection in a JSON body")
    public Response post(ExportRequest request) {
        if (request == null) {
            throw new BadInputException("body", "a JSON body is required");
        }
        return respond(request);
    }

    private Response respond(ExportRequest request) {
        ExportService.PreparedExport export = service.prepare(request);
        return Response.ok(export.body(), export.mediaType())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + export.fileName() + "\"")
                .header("X-Athanor-Snapshot-Time", export.snapshotTime().toString())
                .header("X-Athanor-Runs", export.runs())
                .build();
    }
}
