package dev.athanor.archive.api;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.catalog.ArchivedObject;
import dev.athanor.archive.catalog.TierTotals;
import dev.athanor.archive.config.ArchiveConfig;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.tiering.PassSummary;
import dev.athanor.archive.tiering.TieringWorker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Operator endpoints: what the archive holds, one pass on demand, where a segment's copies are. */
@Path("/api/v1/archive")
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {

    /** The archive as the catalog sees it, plus the last pass. */
    public record Status(String store, String location, String prefix, String node, TierTotals totals,
                         PassView lastPass) {
    }

    /** A pass, with its duration in milliseconds. */
    public record PassView(PassSummary.Status status, String startedAt, long tookMillis, int archived,
                           long archivedBytes, int failed, int refused, int notOnThisNode, int hotDeleted,
                           long hotDeletedBytes, int cooled, int deletedRuns, String error) {
        static PassView of(PassSummary p) {
            return new PassView(p.status(), p.startedAt().toString(), p.took().toMillis(), p.archived(),
                    p.archivedBytes(), p.failed(), p.refused(), p.notOnThisNode(), p.hotDeleted(), p.hotDeletedBytes(),
                    p.cooled(), p.deletedRuns(), p.error());
        }
    }

    private final TieringWorker worker;
    private final ArchiveCatalog catalog;
    private final ObjectStore store;
    private final ArchiveConfig config;

    public ArchiveResource(TieringWorker worker, ArchiveCatalog catalog, ObjectStore store, ArchiveConfig config) {
        this.worker = worker;
        this.catalog = catalog;
        this.store = store;
        this.config = config;
    }

    @GET
    @Path("/status")
    public Status status() throws SQLException {
        return new Status(config.store().name(), store.location(), config.store().prefix(),
                config.hot().node().orElse(null), catalog.totals(), worker.lastPass().map(PassView::of).orElse(null));
    }

    /** Runs a pass now: 200 when it ran, 409 when another replica is the active worker, 503 when the store or database is unusable. */
    @POST
    @Path("/passes")
    public Response runPass() {
        PassSummary pass = worker.runPass();
        int status = switch (pass.status()) {
            case RAN -> 200;
            case STANDBY, BACKING_OFF -> 409;
            case STORE_UNAVAILABLE, DATABASE_ERROR -> 503;
        };
        return Response.status(status).entity(PassView.of(pass)).build();
    }

    @GET
    @Path("/segments/{segmentId}")
    public Response segment(@PathParam("segmentId") long segmentId) throws SQLException {
        List<ArchivedObject> copies = catalog.objectsOfSegment(segmentId);
        if (copies.isEmpty()) {
            return Response.status(404).entity(Map.of("error", "no archived copy of segment " + segmentId + " is recorded"))
                    .build();
        }
        return Response.ok(copies).build();
    }
}
