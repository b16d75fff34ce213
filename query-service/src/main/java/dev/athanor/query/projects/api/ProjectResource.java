package dev.athanor.query.projects.api;

import dev.athanor.query.projects.service.ProjectService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "projects")
public class ProjectResource {

    private final ProjectService service;

    public ProjectResource(ProjectService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The caller's projects and roles",
            description = "With auth off: every project, as admin. With auth on: the projects of the token's athanor_roles.")
    public ProjectService.Projects mine() {
        return service.mine();
    }
}
