package dev.athanor.query.runs.api;

import dev.athanor.query.runs.service.RunService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/experiments/{experimentId}/tags")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class ExperimentTagResource {

    private final RunService service;

    public ExperimentTagResource(RunService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Every tag of an experiment by plugin, with the runs that have it")
    public Map<String, Map<String, List<Long>>> tags(@PathParam("experimentId") long experimentId) {
        return service.experimentTags(experimentId);
    }
}
