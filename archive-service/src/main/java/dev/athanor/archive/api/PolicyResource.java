package dev.athanor.archive.api;

import dev.athanor.archive.policy.PolicyStore;
import dev.athanor.archive.policy.ProjectPolicy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Per-project archive lifecycle: tiering, legal hold, retention; and the audit of what retention deleted. */
@Path("/api/v1/projects/{project}")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    /** The body of a PUT: durations as ISO-8601 ({@code P30D}); absent fields mean "not set". */
    public record PolicyRequest(String coldAfter, Long coldMinBytes, Boolean legalHold, String retention) {
    }

    private final PolicyStore policies;

    public PolicyResource(PolicyStore policies) {
        this.policies = policies;
    }

    @GET
    @Path("/archive-policy")
    public Response get(@PathParam("project") String project) throws SQLException {
        Optional<ProjectPolicy> policy = policies.get(project);
        if (policy.isPresent()) {
            return Response.ok(policy.get()).build();
        }
        if (!policies.projectExists(project)) {
            return error(404, "project", "no project '" + project + "'");
        }
        // No row: the service defaults apply and nothing is ever deleted.
        return Response.ok(new ProjectPolicy(project, null, null, false, null, null, null)).build();
    }

    @PUT
    @Path("/archive-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("project") String project, PolicyRequest body, @Context SecurityContext security)
            throws SQLException {
        if (body == null) {
            return error(400, "body", "a JSON body {coldAfter, coldMinBytes, legalHold, retention} is required");
        }
        Optional<Duration> coldAfter;
        Optional<Duration> retention;
        try {
            coldAfter = duration(body.coldAfter());
        } catch (DateTimeParseException e) {
            return error(400, "body.coldAfter", "'" + body.coldAfter() + "' is not an ISO-8601 duration such as P30D");
        }
        try {
            retention = duration(body.retention());
        } catch (DateTimeParseException e) {
            return error(400, "body.retention", "'" + body.retention() + "' is not an ISO-8601 duration such as P365D");
        }
        if (coldAfter.isPresent() && coldAfter.get().isNegative()) {
            return error(400, "body.coldAfter", "must not be negative");
        }
        if (retention.isPresent() && (retention.get().isNegative() || retention.get().isZero())) {
            return error(400, "body.retention", "must be longer than zero");
        }
        if (body.coldMinBytes() != null && body.coldMinBytes() < 0) {
            return error(400, "body.coldMinBytes", "must not be negative");
        }
        String by = security != null && security.getUserPrincipal() != null ? security.getUserPrincipal().getName()
                : "anonymous";
        if (!policies.put(project, coldAfter, Optional.ofNullable(body.coldMinBytes()),
                Boolean.TRUE.equals(body.legalHold()), retention, by)) {
            return error(404, "project", "no project '" + project + "'");
        }
        return Response.ok(policies.get(project).orElseThrow()).build();
    }

    @GET
    @Path("/archive-deletions")
    public Response deletions(@PathParam("project") String project, @QueryParam("limit") Integer limit)
            throws SQLException {
        if (!policies.projectExists(project)) {
            return error(404, "project", "no project '" + project + "'");
        }
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        return Response.ok(policies.deletions(project, n)).build();
    }

    private static Optional<Duration> duration(String iso) {
        return iso == null || iso.isBlank() ? Optional.empty() : Optional.of(Duration.parse(iso.trim()));
    }

    private static Response error(int status, String where, String message) {
        return Response.status(status).entity(Map.of("error", message, "where", where)).build();
    }
}
