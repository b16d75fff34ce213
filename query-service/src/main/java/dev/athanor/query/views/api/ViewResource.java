package dev.athanor.query.views.api;

import dev.athanor.query.views.service.ViewService;
import dev.athanor.query.views.store.SavedView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/experiments/{experimentId}/views")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "views")
public class ViewResource {

    private final ViewService service;

    public ViewResource(ViewService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "An experiment's saved views, by name")
    public List<SavedView> list(@PathParam("experimentId") long experimentId) {
        return service.list(experimentId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a named view of the experiment (writers of its project; audited)",
            description = "Body {\"name\": 1-128 characters, unique in the experiment (409 otherwise), \"state\": the web"
                    + " UI's JSON object, at most 64 KiB}. Answers 201 with the view.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ViewBody.class)))
    public Response create(@PathParam("experimentId") long experimentId, Map<String, Object> body) {
        return Response.status(Response.Status.CREATED).entity(service.create(experimentId, body)).build();
    }

    @GET
    @Path("{viewId}")
    @Operation(summary = "One saved view (what /experiments/{id}?view={viewId} in the web UI opens)")
    public SavedView get(@PathParam("experimentId") long experimentId, @PathParam("viewId") long viewId) {
        return service.get(experimentId, viewId);
    }

    @PUT
    @Path("{viewId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename a saved view or replace its state (writers of its project; audited)",
            description = "Body with name and/or state, as for POST; a field left out is kept.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ViewBody.class)))
    public SavedView update(@PathParam("experimentId") long experimentId, @PathParam("viewId") long viewId,
                            Map<String, Object> body) {
        return service.update(experimentId, viewId, body);
    }

    @DELETE
    @Path("{viewId}")
    @Operation(summary = "Delete a saved view (writers of its project; audited)")
    public Response delete(@PathParam("experimentId") long experimentId, @PathParam("viewId") long viewId) {
        service.delete(experimentId, viewId);
        return Response.noContent().build();
    }

    /** The request body as documented in OpenAPI. */
    public record ViewBody(String name, Map<String, Object> state) {
    }
}
