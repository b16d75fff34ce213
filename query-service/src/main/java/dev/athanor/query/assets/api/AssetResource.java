package dev.athanor.query.assets.api;

import dev.athanor.query.assets.service.AssetService;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.Paging;
import io.quarkus.vertx.http.Uncompressed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs/{runId}/assets")
@Tag(name = "assets")
public class AssetResource {


    private final AssetService service;
    private final Paging paging;

    public AssetResource(AssetService service, Paging paging) {
        this.service = service;
        this.paging = paging;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The run's stored asset files (profiler traces and other plugin files), by path")
    public Page<AssetItem> list(@PathParam("runId") long runId,
                                @Parameter(description = "only paths starting with this, e.g. plugins/profile/")
                                @QueryParam("prefix") String prefix,
                                @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        return service.list(runId, prefix, paging.request(offset, limit)).map(a -> new AssetItem(a.path(), a.size(),
                a.sha256(), downloadUrl(runId, a.path())));
    }

    /** Where a run's asset is downloaded (the profile endpoints link their files here too). */
    public static String downloadUrl(long runId, String path) {
        return "/api/v1/runs/" + runId + "/assets/data?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    @GET
    @Path("data")
    @Produces(MediaType.WILDCARD)
    // Served as stored: a Range and the ETag (the file's SHA-256) name these bytes, not a gzip of them.
    @Uncompressed
    @Operation(summary = "One asset file's bytes, streamed; a single Range is honoured (206)")
    public Response data(@PathParam("runId") long runId, @QueryParam("path") String path,
                         @HeaderParam("Range") String rangeHeader) {
        AssetService.Download download = service.download(runId, path);
        long size = download.asset().size();
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(rangeHeader, size);
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416).header("Content-Range", "bytes */" + size).build();
        }
        long first = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(size);
        StreamingOutput body = out -> download.bytes().copy(first, length, out);
        Response.ResponseBuilder response = (range.isPresent() ? Response.status(206)
                .header("Content-Range", "bytes " + first + "-" + range.get().last() + "/" + size) : Response.ok())
                .entity(body)
                .type(download.contentType())
                .header("Content-Length", length)
                .header("Accept-Ranges", "bytes")
                .header("ETag", "\"" + download.asset().sha256() + "\"")
                .header("Content-Disposition", contentDisposition(download.fileName()))
                .header("X-Content-Type-Options", "nosniff")
                // User data: never let it run as a page on this origin.
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
        return response.build();
    }

    /** attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266). */
    static String contentDisposition(String fileName) {
        StringBuilder ascii = new StringBuilder();
        for (char c : fileName.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
