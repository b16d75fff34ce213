package dev.athanor.query.history.api;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.Paging;
import dev.athanor.query.history.service.RunHistoryService;
import dev.athanor.query.history.store.IngestProblem;
import dev.athanor.query.history.store.RunEvent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs/{runId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunHistoryResource {

    private final RunHistoryService service;
    private final Paging paging;

    public RunHistoryResource(RunHistoryService service, Paging paging) {
        this.service = service;
        this.paging = paging;
    }

    @GET
    @Path("events")
    @Operation(summary = "The run's status changes, oldest first",
            description = "FINISHED / FAILED when FinishRun ended it; REOPENED when data arrived after it had ended"
                    + " (resumed training: the run is RUNNING again), with the file that brought it.")
    public List<RunEvent> events(@PathParam("runId") long runId) {
        return service.events(runId);
    }

    @GET
    @Path("problems")
    @Operation(summary = "Data of the run that ingest could not use, located by file and byte offset",
            description = "Records that could not be decoded or indexed; the rest of the run was indexed around them.")
    public Page<IngestProblem> problems(@PathParam("runId") long runId, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit) {
        return service.problems(runId, paging.request(offset, limit));
    }
}
