package dev.athanor.query.checks.api;

import dev.athanor.query.checks.service.CheckService;
import dev.athanor.query.common.error.BadInputException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/checks")
@Tag(name = "checks")
public class CheckResource {

    private final CheckService service;

    public CheckResource(CheckService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evaluate metric assertions on a run selection (for CI): pass/fail per assertion with the values seen")
    public CheckResponse check(CheckRequest request) {
        if (request == null) {
            throw new BadInputException("body", "a JSON body is required");
        }
        return service.check(request);
    }
}
