package dev.athanor.archive.api;

import dev.athanor.archive.scrub.Damage;
import dev.athanor.archive.scrub.ScrubCatalog;
import dev.athanor.archive.scrub.Scrubber;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scrub's findings (what is damaged, where, what happens about it) and one step on demand. */
@Path("/api/v1/archive")
@Produces(MediaType.APPLICATION_JSON)
public class ScrubResource {

    /** Open findings (or all), newest first. */
    public record DamageList(long open, List<Damage> damage) {
    }

    private final ScrubCatalog catalog;
    private final Scrubber scrubber;

    public ScrubResource(ScrubCatalog catalog, Scrubber scrubber) {
        this.catalog = catalog;
        this.scrubber = scrubber;
    }

    @GET
    @Path("/damage")
    public Response damage(@QueryParam("all") @DefaultValue("false") boolean all,
                           @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        if (limit < 1 || limit > 10_000) {
            return Response.status(400).entity(Map.of("error", "limit must be between 1 and 10000, not " + limit)).build();
        }
        return Response.ok(new DamageList(catalog.openDamage(Optional.empty()), catalog.findings(all, limit))).build();
    }

    /** One scrub step now: 200 ran, 409 another replica (or a tiering pass) holds the worker lock, 503 database. */
    @POST
    @Path("/scrubs")
    public Response step() {
        Scrubber.Result result = scrubber.step();
        int status = switch (result.status()) {
            case RAN -> 200;
            case STANDBY -> 409;
            case DATABASE_ERROR -> 503;
        };
        return Response.status(status).entity(result).build();
    }
}
