package dev.athanor.archive.api;

import dev.athanor.archive.replication.ReplicationCatalog;
import dev.athanor.archive.replication.Replicator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks for an experiment to be replicated to a configured destination, and lists its replicas.
 * The copying itself happens in the tiering worker's passes.
 */
@Path("/api/v1/projects/{project}/experiments/{experiment}/replication")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicationResource {

    /** {@code reverify}: check the replicas already verified there again at the next pass. */
    public record ReplicationRequest(String destination, Boolean reverify) {
    }

    public record Accepted(String destination, boolean newRequest, int toReverify) {
    }

    public record Listing(List<String> destinations, List<String> configured, List<ReplicationCatalog.Replica> replicas) {
    }

    private final ReplicationCatalog catalog;
    private final Replicator replicator;

    public ReplicationResource(ReplicationCatalog catalog, Replicator replicator) {
        this.catalog = catalog;
        this.replicator = replicator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(@PathParam("project") String project, @PathParam("experiment") String experiment,
                            ReplicationRequest body, @Context SecurityContext security) throws SQLException {
        if (body == null || body.destination() == null || body.destination().isBlank()) {
            return error(400, "body.destination", "name the destination, one of " + replicator.destinationNames());
        }
        if (!replicator.destinationNames().contains(body.destination())) {
            return error(400, "body.destination", "'" + body.destination() + "' is not a configured destination; "
                    + "configured: " + replicator.destinationNames() + " (athanor.archive.replication.destinations)");
        }
        Optional<Long> id = catalog.experimentId(project, experiment);
        if (id.isEmpty()) {
            return error(404, "experiment", "no experiment '" + experiment + "' in project '" + project + "'");
        }
        String by = security != null && security.getUserPrincipal() != null ? security.getUserPrincipal().getName()
                : "anonymous";
        boolean created = catalog.request(id.get(), body.destination(), by);
        int reverify = Boolean.TRUE.equals(body.reverify()) ? catalog.reverify(id.get(), body.destination()) : 0;
        return Response.status(created ? 201 : 200).entity(new Accepted(body.destination(), created, reverify)).build();
    }

    @GET
    public Response list(@PathParam("project") String project, @PathParam("experiment") String experiment)
            throws SQLException {
        Optional<Long> id = catalog.experimentId(project, experiment);
        if (id.isEmpty()) {
            return error(404, "experiment", "no experiment '" + experiment + "' in project '" + project + "'");
        }
        return Response.ok(new Listing(catalog.requestedDestinations(id.get()), replicator.destinationNames(),
                catalog.replicasOf(id.get()))).build();
    }

    private static Response error(int status, String where, String message) {
        return Response.status(status).entity(Map.of("error", message, "where", where)).build();
    }
}
