package dev.athanor.archive.api;

import dev.athanor.archive.share.ShareLinks;
import dev.athanor.archive.store.StoreException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Time-limited signed links to an experiment's archived event files. */
@Path("/api/v1/projects/{project}/experiments/{experiment}/share-links")
@Produces(MediaType.APPLICATION_JSON)
public class ShareResource {

    /** {@code validFor}: ISO-8601, at most P7D; default P1D. */
    public record ShareRequest(String validFor) {
    }

    private final ShareLinks links;

    public ShareResource(ShareLinks links) {
        this.links = links;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, @PathParam("experiment") String experiment,
                           ShareRequest body, @Context SecurityContext security) throws SQLException {
        Duration validFor;
        try {
            validFor = body == null || body.validFor() == null ? Duration.ofDays(1) : Duration.parse(body.validFor());
        } catch (DateTimeParseException e) {
            return error(400, "body.validFor", "'" + body.validFor() + "' is not an ISO-8601 duration such as PT12H");
        }
        String by = security != null && security.getUserPrincipal() != null ? security.getUserPrincipal().getName()
                : "anonymous";
        try {
            return Response.ok(links.create(project, experiment, validFor, by)).build();
        } catch (IllegalArgumentException e) {
            return error(400, "body.validFor", e.getMessage());
        } catch (ShareLinks.NotFound e) {
            return error(404, "experiment", e.getMessage());
        } catch (ShareLinks.Unsupported e) {
            return error(501, "store", e.getMessage());
        } catch (StoreException e) {
            return error(503, "store", e.getMessage());
        }
    }

    private static Response error(int status, String where, String message) {
        return Response.status(status).entity(Map.of("error", message, "where", where)).build();
    }
}
