package dev.athanor.query.experiments.api;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.Paging;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.experiments.store.Experiment;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Response;
import dev.athanor.query.curate.service.CurateService;
import dev.athanor.query.curate.store.TrashEntry;
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
    private final CurateService curate;
    private final Paging paging;

    public ExperimentResource(ExperimentService service, CurateService curate, Paging paging) {
        this.service = service;
        this.curate = curate;
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
    @Operation(summary = "Rename an experiment or edit its description (writers of its project; audited)",
            description = "Body with any of {\"name\": \"…\", \"description\": \"…\"}. description: Markdown, at most"
                    + " 65,536 characters; null or \"\" clears it. name: as ingest accepts experiment names; 409 when"
                    + " the project has an experiment of that name (listed or trashed) or a run of it is RUNNING."
                    + " Answers the experiment.")
    @RequestBody(content = @Content(schema = @Schema(implementation = DescriptionBody.class)))
    public Experiment patch(@PathParam("experimentId") long experimentId, Map<String, Object> body) {
        return service.patch(experimentId, body);
    }

    /** The PATCH body as documented in OpenAPI. */
    public record DescriptionBody(String name, String description) {
    }

    @DELETE
    @Path("{experimentId}")
    @Operation(summary = "Move an experiment and its runs to the trash (writers; audited)",
            description = "Hidden everywhere, restorable for athanor.query.trash.retention (30 days by default)."
                    + " Answers the trash entry with what a purge would remove.")
    public TrashEntry delete(@PathParam("experimentId") long experimentId) {
        return curate.trashExperiment(experimentId);
    }

    @POST
    @Path("{experimentId}/restore")
    @Operation(summary = "Restore an experiment and the runs trashed with it (writers; audited)")
    public Map<String, Object> restore(@PathParam("experimentId") long experimentId) {
        return curate.restoreExperiment(experimentId);
    }

    @POST
    @Path("{experimentId}/purge")
    @Operation(summary = "Ask for the purge of a trashed experiment and all its runs (project admins; audited)",
            description = "202 with what will be removed; 409 when it is not in the trash or under legal hold.")
    public Response purge(@PathParam("experimentId") long experimentId) {
        return Response.accepted(curate.purgeExperiment(experimentId)).build();
    }
}
