package dev.athanor.query.tensors.api;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.tensors.service.TensorService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs/{runId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tensors")
public class TensorResource {

    private final TensorService service;

    public TensorResource(TensorService service) {
        this.service = service;
    }

    @GET
    @Path("histograms")
    @Operation(summary = "Histograms of a tag: at most maxPoints steps (default 500), evenly spaced, newest kept")
    public TensorSeries<HistogramPoint> histograms(@PathParam("runId") long runId, @QueryParam("tag") String tag,
                                                   @QueryParam("maxPoints") String maxPoints,
                                                   @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax) {
        return service.histograms(runId, tag, Params.optionalInt("maxPoints", maxPoints),
                Params.optionalLong("stepMin", stepMin), Params.optionalLong("stepMax", stepMax));
    }

    @GET
    @Path("text")
    @Operation(summary = "Text summaries of a tag (default 100 steps)")
    public TensorSeries<TextPoint> text(@PathParam("runId") long runId, @QueryParam("tag") String tag,
                                        @QueryParam("maxPoints") String maxPoints,
                                        @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax) {
        return service.text(runId, tag, Params.optionalInt("maxPoints", maxPoints),
                Params.optionalLong("stepMin", stepMin), Params.optionalLong("stepMax", stepMax));
    }

    @GET
    @Path("pr-curves")
    @Operation(summary = "PR curves of a tag (default 100 steps)")
    public TensorSeries<PrCurvePoint> prCurves(@PathParam("runId") long runId, @QueryParam("tag") String tag,
                                               @QueryParam("maxPoints") String maxPoints,
                                               @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax) {
        return service.prCurves(runId, tag, Params.optionalInt("maxPoints", maxPoints),
                Params.optionalLong("stepMin", stepMin), Params.optionalLong("stepMax", stepMax));
    }

    @GET
    @Path("tensors")
    @Operation(summary = "Any tensor series, decoded to dtype, shape and values (default 100 steps)")
    public TensorSeries<TensorPoint> tensors(@PathParam("runId") long runId, @QueryParam("tag") String tag,
                                             @QueryParam("maxPoints") String maxPoints,
                                             @QueryParam("stepMin") String stepMin, @QueryParam("stepMax") String stepMax) {
        return service.tensors(runId, tag, Params.optionalInt("maxPoints", maxPoints),
                Params.optionalLong("stepMin", stepMin), Params.optionalLong("stepMax", stepMax));
    }
}
