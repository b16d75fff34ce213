package dev.athanor.archive.auth;

import dev.athanor.auth.UnruledProbe;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A test-only endpoint deliberately left out of {@link ArchiveAccessRules}: it must be refused to
 * everyone, which proves that an endpoint added without a rule is closed (hidden from the OpenAPI
 * document, so the matrix's coverage check is about the real API).
 */
@UnruledProbe
@Path("/api/v1/test-only/unruled")
public class UnruledProbeResource {

    public static final String ENDPOINT = "GET /api/v1/test-only/unruled";

    @GET
    @Operation(hidden = true)
    public String secret() {
        return "this endpoint has no access rule and should never answer";
    }
}
