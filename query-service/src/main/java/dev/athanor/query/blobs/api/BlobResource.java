package dev.athanor.query.blobs.api;

import dev.athanor.query.blobs.service.BlobService;
import dev.athanor.query.common.api.Params;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs/{runId}/blobs")
@Tag(name = "blobs")
public class BlobResource {

    private final BlobService service;

    public BlobResource(BlobService service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Blob sequences (images, audio, graphs) of a tag: at most maxPoints steps (default 10)")
    public BlobSeries list(@PathParam("runId") long runId, @QueryParam("tag") String tag,
                           @QueryParam("maxPoints") String maxPoints,
                           @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax) {
        return service.list(runId, tag, Params.optionalInt("maxPoints", maxPoints),
                Params.optionalLong("stepMin", stepMin), Params.optionalLong("stepMax", stepMax));
    }

    @GET
    @Path("data")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "One blob's bytes, read from the raw log (CRC-checked), with its media type")
    public Response data(@PathParam("runId") long runId, @QueryParam("tag") String tag, @QueryParam("step") String step,
                         @QueryParam("index") String index) {
        BlobService.BlobBytes blob = service.blob(runId, tag, Params.optionalLong("step", step),
                Params.optionalInt("index", index));
        return Response.ok(blob.data(), blob.contentType())
                .header("Content-Length", blob.data().length)
                .header("X-Content-Type-Options", "nosniff")
                // Blobs are user data: never let one run as a page on this origin (SVG can hold script).
                .header("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; media-src 'self'; sandbox")
                .build();
    }
}
