package dev.athanor.query.runs.api;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.common.paging.Paging;
import dev.athanor.query.curate.service.CurateService;
import dev.athanor.query.curate.store.TrashEntry;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.Run;
import dev.athanor.query.runs.store.RunCursor;
import dev.athanor.query.runs.store.RunPage;
import dev.athanor.query.runs.store.RunPaging;
import dev.athanor.query.runs.store.TagInfo;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {

    private final RunService service;
    private final CurateService curate;
    private final Paging paging;

    public RunResource(RunService service, CurateService curate, Paging paging) {
        this.service = service;
        this.curate = curate;
        this.paging = paging;
    }

    @GET
    @Operation(summary = "List and filter runs")
    public RunPage list(
            @Parameter(description = "only runs of this experiment id") @QueryParam("experiment") String experiment,
            @Parameter(description = "filter expression, e.g. hparams.lr < 0.01 and metrics.val_acc@max >= 0.9")
            @QueryParam("filter") String filter,
            @Parameter(description = "sort keys, e.g. -metrics.val_acc@max,name") @QueryParam("sort") String sort,
            @Parameter(description = "extra values per run, e.g. hparams.lr,metrics.loss@min") @QueryParam("columns") String columns,
            @Parameter(description = "where the page starts: the \"next\" of the previous page (keyset paging; each page"
                    + " costs like the first). Not with offset") @QueryParam("cursor") String cursor,
            @Parameter(description = "rows to skip (offset paging, for existing clients: slower the deeper the page;"
                    + " prefer cursor)") @QueryParam("offset") String offset,
            @QueryParam("limit") String limit,
            @Parameter(description = "exact: count every matching run into total; none: total is null. Default: exact"
                    + " without a cursor, none with one") @QueryParam("count") String count) {
        return service.list(Params.optionalLong("experiment", experiment), filter, sort, columns,
                paging(cursor, offset, limit, count));
    }

    @POST
    @Path("search")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Same as listing runs, with the selection in a JSON body",
            description = "For filters too long for a URL (up to 10,000 characters; proxies in front of the API"
                    + " often refuse request lines over 8 KiB). Fields as the GET query parameters.")
    public RunPage search(RunSearch search) {
        if (search == null) {
            throw new BadInputException("body", "a JSON body is required");
        }
        return service.list(search.experiment(), search.filter(), search.sort(), search.columns(),
                paging(search.cursor(), string(search.offset()), string(search.limit()), search.count()));
    }

    /** The body of POST /api/v1/runs/search: the GET listing's query parameters. */
    public record RunSearch(Long experiment, String filter, String sort, String columns, String cursor, Integer offset,
                            Integer limit, String count) {
    }

    /** A cursor or an offset (not both), the limit, and whether to count (by default only without a cursor). */
    private RunPaging paging(String cursor, String offset, String limit, String count) {
        PageRequest page = paging.request(offset, limit);
        boolean hasCursor = cursor != null && !cursor.isBlank();
        if (hasCursor && offset != null && !offset.isBlank()) {
            throw new BadInputException(RunCursor.PARAM, "give cursor or offset, not both");
        }
        boolean counted = switch (count == null || count.isBlank() ? (hasCursor ? "none" : "exact") : count.strip()) {
            case "exact" -> true;
            case "none" -> false;
            default -> throw new BadInputException("count", "count is exact or none, got \"" + count + "\"");
        };
        return new RunPaging(page.offset(), hasCursor ? RunCursor.decode(cursor) : null, page.limit(), counted);
    }

    private static String string(Integer value) {
        return value == null ? null : value.toString();
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "Get one run")
    public Run get(@PathParam("runId") long runId) {
        return service.get(runId);
    }

    @PATCH
    @Path("{runId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a run's metadata (writers of its project; audited)",
            description = "Any of displayName (≤ 256 characters), labels (≤ 32, each 1-64 of letters, digits and"
                    + " . _ - : / = +), note (Markdown, ≤ 65,536 characters), color (#rrggbb), pinned (boolean)."
                    + " Only the fields given change; null or \"\" clears a text field, [] or null the labels."
                    + " Kept through reindex. Answers the run.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RunMetadataBody.class)))
    public Run patch(@PathParam("runId") long runId, Map<String, Object> body) {
        return service.patch(runId, body);
    }

    /** The PATCH body as documented in OpenAPI (the resource reads a map to tell absent from null). */
    public record RunMetadataBody(String displayName, List<String> labels, String note, String color, Boolean pinned) {
    }

    @DELETE
    @Path("{runId}")
    @Operation(summary = "Move a run to the trash (writers of its project; audited)",
            description = "The run disappears from every list, search, chart, export, hparams table and the"
                    + " TensorBoard data provider; nothing is removed. It can be restored for"
                    + " athanor.query.trash.retention (30 days by default), then it is purged. Answers the trash"
                    + " entry with what a purge would remove.")
    public TrashEntry delete(@PathParam("runId") long runId) {
        return curate.trashRun(runId);
    }

    @POST
    @Path("{runId}/restore")
    @Operation(summary = "Restore a run from the trash (writers; audited)",
            description = "409 when it is not in the trash, went there with its experiment (restore that), or its"
                    + " purge was already requested. Answers the run.")
    public Run restore(@PathParam("runId") long runId) {
        return curate.restoreRun(runId);
    }

    @POST
    @Path("{runId}/purge")
    @Operation(summary = "Ask for the purge of a trashed run (project admins; audited)",
            description = "202: archive-service removes its archived and replicated objects, hot files and index rows"
                    + " (one audit row per object in archive_deletion). 409 when the run is not in the trash or its"
                    + " project is under legal hold (the message names the hold).")
    public jakarta.ws.rs.core.Response purge(@PathParam("runId") long runId) {
        return jakarta.ws.rs.core.Response.accepted(curate.purgeRun(runId)).build();
    }

    @POST
    @Path("{runId}/move")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a run to another experiment of the same project (writers; audited)",
            description = "Body {\"experiment\": <id>}. 404 for an experiment of another project, 409 when the target"
                    + " has a run of the same name (or the run is still RUNNING). Answers the run.")
    public Run move(@PathParam("runId") long runId, Map<String, Object> body) {
        return curate.moveRun(runId, body);
    }

    @GET
    @Path("{runId}/tags")
    @Operation(summary = "The run's tags grouped by plugin")
    public Map<String, List<TagInfo>> tags(@PathParam("runId") long runId) {
        return service.tags(runId);
    }
}
