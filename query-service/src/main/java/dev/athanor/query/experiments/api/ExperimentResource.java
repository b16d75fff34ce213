package dev.athanor.query.experiments.api;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.Paging;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.experiments.store.Experiment;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/experiments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "experiments")
public class ExperimentResource {

    private final ExperimentService service;
    private final Paging paging;

    public ExperimentResource(ExperimentService service, Paging paging) {
        this.service = service;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "List experiments", description = "sort: name, created, updated, id; prefix '-' for descending")
    public Page<Experiment> list(@QueryParam("project") String project, @QueryParam("name") String name,
                                 @QueryParam("search") String search, @QueryParam("sort") String sort,
                                 @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        return service.list(project, name, search, sort, paging.request(offset, limit));
    }

    @GET
    @Path("{experimentId}")
    @Operation(summary = "Get one experiment")
    public Experiment get(@PathParam("experimentId") long experimentId) {
        return service.get(experimentId);
    }

    @PATCH
    @Path("{experimentId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit an experiment's description (writers of its project; audited)",
            description = "Body {\"description\": \"…\"}: Markdown, at most 65,536 characters; null or \"\" clears it."
                    + " Answers the experiment.")
    @RequestBody(content = @Content(schema = @Schema(implementation = DescriptionBody.class)))
    public Experiment patch(@PathParam("experimentId") long experimentId, Map<String, Object> body) {
        return service.patch(experimentId, body);
    }

    /** The PATCH body as documented in OpenAPI. */
    public record DescriptionBody(String description) {
    }
}
