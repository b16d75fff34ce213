package dev.athanor.query.archive.api;

import dev.athanor.query.archive.service.ArchiveService;
import dev.athanor.query.archive.store.RestoreStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs/{runId}/archive")
@Tag(name = "archive")
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {

    private final ArchiveService service;

    public ArchiveResource(ArchiveService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The run's raw segments: hot or archived (tier), and any restore")
    public RunArchive run(@PathParam("runId") long runId) {
        return service.run(runId);
    }

    @GET
    @Path("segments/{segmentId}")
    @Operation(summary = "Restore status of one archived segment (RESTORING, RESTORED until…, EXPIRED, FAILED, READABLE)")
    public RestoreStatus segment(@PathParam("runId") long runId, @PathParam("segmentId") long segmentId) {
        return service.segment(runId, segmentId);
    }

    @POST
    @Path("restores")
    @Operation(summary = "Start restores of every archived segment of the run that cannot be read now; 202 with their states")
    public Response restore(@PathParam("runId") long runId) {
        List<RestoreStatus> started = service.restoreRun(runId);
        return Response.accepted(started).build();
    }
}
