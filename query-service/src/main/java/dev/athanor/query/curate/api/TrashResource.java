package dev.athanor.query.curate.api;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.curate.service.CurateService;
import dev.athanor.query.curate.store.TrashEntry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/trash")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trash")
public class TrashResource {

    private final CurateService service;

    public TrashResource(CurateService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Trashed experiments and runs of the projects the caller may read, newest first",
            description = "Each entry: kind (run or experiment), id, project, experiment, name, trashedAt, trashedBy,"
                    + " purgeAfter (when the trash window ends), purgeRequestedAt and purgeError (a purge waiting,"
                    + " e.g. on a legal hold), footprint {runs, series, hotFiles, objects}. Runs trashed with their"
                    + " experiment are listed under it only.")
    public List<TrashEntry> list(@QueryParam("project") String project, @QueryParam("limit") String limit) {
        Long n = Params.optionalLong("limit", limit);
        return service.trash(project == null || project.isBlank() ? null : project,
                (int) Math.max(1, Math.min(1000, n == null ? 200 : n)));
    }
}
