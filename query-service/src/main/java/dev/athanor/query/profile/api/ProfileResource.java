package dev.athanor.query.profile.api;

import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.assets.api.AssetResource;
import dev.athanor.query.common.api.Params;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.profile.service.MemoryPoints;
import dev.athanor.query.profile.service.OpCompare;
import dev.athanor.query.profile.service.OpTable;
import dev.athanor.query.profile.service.ProfileFiles;
import dev.athanor.query.profile.service.ProfileService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/runs/{runId}/profiles")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    static final int MAX_WIDTH = 10_000;
    static final int MAX_WINDOW_EVENTS = 100_000;
    static final int MAX_OPS = 10_000;

    private final ProfileService service;

    public ProfileResource(ProfileService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The run's profiler sessions (plugins/profile/<session>/, and one per timestamp of PyTorch's "
            + "<worker>.<timestamp>.pt.trace.json[.gz]) and their files by host")
    public ProfileViews.Sessions sessions(@PathParam("runId") long runId) {
        List<ProfileViews.SessionItem> items = service.sessions(runId).stream().map(s -> new ProfileViews.SessionItem(
                s.name(), s.startedAt().orElse(null), s.files().stream().map(f -> new ProfileViews.FileItem(f.host(), f.asset().path(),
                        f.asset().size(), f.format().map(ProfileResource::format).orElse(null),
                        AssetResource.downloadUrl(runId, f.asset().path()))).toList())).toList();
        return new ProfileViews.Sessions(items);
    }

    @GET
    @Path("{session}/steps")
    @Operation(summary = "Step-time breakdown of a host's trace: per step device compute, copies/communication, "
            + "input, host compute, other host activity and idle (ns)")
    public ProfileViews.Steps steps(@PathParam("runId") long runId, @PathParam("session") String session,
                                    @Parameter(description = "the host (file) of the session; default its first trace")
                                    @QueryParam("host") String host) {
        ProfileService.Trace trace = service.trace(runId, session, host);
        ProfileIndex index = trace.index();
        return new ProfileViews.Steps(source(trace), index.spanNs(), index.events(), index.steps(), index.skipped());
    }

    @GET
    @Path("{session}/ops")
    @Operation(summary = "Ops by self time (name, type, count, total and self time, share of its side's self time)")
    public ProfileViews.Ops ops(@PathParam("runId") long runId, @PathParam("session") String session,
                                @QueryParam("host") String host,
                                @Parameter(description = "all (default), host or device") @QueryParam("side") String side,
                                @Parameter(description = "substring of the name or type, any case") @QueryParam("search") String search,
                                @Parameter(description = "self (default), total, count, avg, name, type; - reverses")
                                @QueryParam("sort") String sort,
                                @Parameter(description = "rows, 1-10000 (default 100)") @QueryParam("limit") String limit) {
        int rows = bounded("limit", Params.optionalInt("limit", limit), 100, 1, MAX_OPS);
        ProfileService.Trace trace = service.trace(runId, session, host);
        OpTable.Table table = OpTable.of(trace.index().ops(), side, search, sort, rows);
        return new ProfileViews.Ops(source(trace), table.hostSelfNs(), table.deviceSelfNs(), table.matched(),
                table.items());
    }

    @GET
    @Path("{session}/timeline")
    @Operation(summary = "The trace events of a time window, short neighbours merged to the window's width")
    public ProfileViews.Timeline timeline(@PathParam("runId") long runId, @PathParam("session") String session,
                                          @QueryParam("host") String host,
                                          @Parameter(description = "ns from the trace's start (default 0)")
                                          @QueryParam("start") String start,
                                          @Parameter(description = "ns from the trace's start (default: its end)")
                                          @QueryParam("end") String end,
                                          @Parameter(description = "columns (pixels) of the view, 1-10000 (default 1500)")
                                          @QueryParam("width") String width) {
        Long from = Params.optionalLong("start", start);
        Long to = Params.optionalLong("end", end);
        int columns = bounded("width", Params.optionalInt("width", width), 1500, 1, MAX_WIDTH);
        ProfileService.Trace trace = service.trace(runId, session, host);
        ProfileIndex index = trace.index();
        long s = from == null ? 0 : from;
        long e = to == null ? Math.max(1, index.spanNs()) : to;
        if (s < 0) {
            throw new BadInputException("start", "start must be 0 or more; got " + s);
        }
        if (e <= s) {
            throw new BadInputException("end", "end must be after start (" + s + "); got " + e);
        }
        ProfileIndex.Window window = index.window(s, e, columns, MAX_WINDOW_EVENTS);
        Map<Integer, Integer> local = new HashMap<>();
        List<ProfileViews.NameItem> names = new ArrayList<>();
        List<long[]> events = new ArrayList<>(window.events().size());
        for (ProfileIndex.WindowEvent ev : window.events()) {
            int name = local.computeIfAbsent(ev.key(), k -> {
                ProfileIndex.Key key = index.keys().get(k);
                names.add(new ProfileViews.NameItem(key.name(), key.type(), key.kind().name().toLowerCase(Locale.ROOT)));
                return names.size() - 1;
            });
            events.add(new long[] {ev.lane(), ev.startNs(), ev.durationNs(), name, ev.depth(), ev.count()});
        }
        List<ProfileViews.LaneItem> lanes = index.lanes().stream()
                .map(l -> new ProfileViews.LaneItem(l.index(), l.name(), l.device())).toList();
        return new ProfileViews.Timeline(source(trace), index.spanNs(), s, e, window.resolutionNs(), lanes, names, events,
                window.truncated());
    }

    @GET
    @Path("{session}/memory")
    @Operation(summary = "Memory in use over time per allocator or device, where the trace records it")
    public ProfileViews.Memory memory(@PathParam("runId") long runId, @PathParam("session") String session,
                                      @QueryParam("host") String host,
                                      @Parameter(description = "points per series, 1-10000 (default 1000)")
                                      @QueryParam("maxPoints") String maxPoints) {
        int points = bounded("maxPoints", Params.optionalInt("maxPoints", maxPoints), 1000, 1, 10_000);
        ProfileService.Trace trace = service.trace(runId, session, host);
        return new ProfileViews.Memory(source(trace), trace.index().spanNs(),
                trace.index().memory().stream().map(m -> MemoryPoints.of(m, points)).toList());
    }

    @GET
    @Path("{session}/compare")
    @Operation(summary = "This trace's ops beside another's (another run, or another session of this run): "
            + "self time, count and total in each, and the change of self time from this one (A) to the other (B)")
    public ProfileViews.Compare compare(@PathParam("runId") long runId, @PathParam("session") String session,
                                        @QueryParam("host") String host,
                                        @Parameter(description = "B's run (default: this run)") @QueryParam("withRun") String withRun,
                                        @Parameter(description = "B's session (required)") @QueryParam("withSession") String withSession,
                                        @Parameter(description = "B's host (default: its session's first trace)")
                                        @QueryParam("withHost") String withHost,
                                        @Parameter(description = "trace (default: whole traces) or step (each divided by its steps)")
                                        @QueryParam("per") String per,
                                        @Parameter(description = "all (default), host or device") @QueryParam("side") String side,
                                        @Parameter(description = "substring of the name or type, any case") @QueryParam("search") String search,
                                        @Parameter(description = "change (default: largest either way), increase, decrease, a, b, name")
                                        @QueryParam("sort") String sort,
                                        @Parameter(description = "rows, 1-10000 (default 100)") @QueryParam("limit") String limit) {
        Long otherRun = Params.optionalLong("withRun", withRun);
        String otherSession = Params.required("withSession", withSession);
        int rows = bounded("limit", Params.optionalInt("limit", limit), 100, 1, MAX_OPS);
        List<ProfileService.Trace> traces = service.both(runId, session, host, otherRun == null ? runId : otherRun,
                otherSession, withHost);
        ProfileService.Trace a = traces.get(0);
        ProfileService.Trace b = traces.get(1);
        OpCompare.Table t = OpCompare.of(a.index(), b.index(), per, side, search, sort, rows);
        return new ProfileViews.Compare(source(a), source(b), t.per(), t.stepsA(), t.stepsB(), t.hostSelfNsA(),
                t.hostSelfNsB(), t.deviceSelfNsA(), t.deviceSelfNsB(), t.matched(), t.items());
    }

    private static int bounded(String name, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new BadInputException(name, name + " must be between " + min + " and " + max + "; got " + v);
        }
        return v;
    }

    private static ProfileViews.Source source(ProfileService.Trace trace) {
        ProfileFiles.File f = trace.file();
        return new ProfileViews.Source(f.session(), f.host(), f.asset().path(), f.format().map(ProfileResource::format)
                .orElse(null));
    }

    private static String format(dev.athanor.profile.decode.ProfileFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }
}
