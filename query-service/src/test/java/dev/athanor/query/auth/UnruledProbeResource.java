package dev.athanor.query.auth;

import dev.athanor.auth.UnruledProbe;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test-only endpoints deliberately left out of {@code QueryAccessRules}: they must be refused to
 * everyone, even under a run the caller may change, which proves that an endpoint added without a
 * rule is closed (hidden from the OpenAPI document, so the matrix's coverage check is about the real API).
 */
@UnruledProbe
@Path("/api/v1/test-only/unruled")
public class UnruledProbeResource {

    static final String GET = "GET /api/v1/test-only/unruled";
    static final String DELETE_RUN = "DELETE /api/v1/test-only/unruled/runs/{runId}";

    @GET
    @Operation(hidden = true)
    public String secret() {
        return "this endpoint has no access rule and should never answer";
    }

    @DELETE
    @Path("runs/{runId}")
    @Operation(hidden = true)
    public String deleteRun(@PathParam("runId") long runId) {
        return "this endpoint has no access rule and should never delete run " + runId;
    }
}
