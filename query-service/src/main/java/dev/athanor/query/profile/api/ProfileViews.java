package dev.athanor.query.profile.api;

import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.profile.service.MemoryPoints;
import dev.athanor.query.profile.service.OpCompare;
import dev.athanor.query.profile.service.OpTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the profile endpoints. Times are ns from the trace's first event. */
public final class ProfileViews {

    private ProfileViews() {
    }

    /** A file of a session; {@code format} null for files offered for download only. */
    public record FileItem(String host, String path, long size, String format, String downloadUrl) {
    }

    /** {@code startedAt}: when the session was captured, where its name tells (null otherwise). */
    public record SessionItem(String session, Instant startedAt, List<FileItem> files) {
    }

    public record Sessions(List<SessionItem> items) {
    }

    /** Which trace answered: the host, its file and format. */
    public record Source(String session, String host, String path, String format) {
    }

    public record Steps(Source source, long spanNs, long events, List<ProfileIndex.Step> steps,
                        Map<String, Long> skipped) {
    }

    public record Ops(Source source, long hostSelfNs, long deviceSelfNs, int matched, List<OpTable.Row> items) {
    }

    public record LaneItem(int index, String name, boolean device) {
    }

    public record NameItem(String name, String type, String kind) {
    }

    /**
     * A window of the timeline: {@code events} as {@code [lane, startNs, durationNs, name, depth, count]}
     * (name indexes {@code names}; count > 1: that many short events merged, named after the longest).
     */
    public record Timeline(Source source, long spanNs, long startNs, long endNs, long resolutionNs,
                           List<LaneItem> lanes, List<NameItem> names, List<long[]> events, boolean truncated) {
    }

    public record Memory(Source source, long spanNs, List<MemoryPoints.Series> series) {
    }

    /** Two traces' ops side by side: A is the path's session, B the one compared with. */
    public record Compare(Source a, Source b, String per, int stepsA, int stepsB, long hostSelfNsA, long hostSelfNsB,
                          long deviceSelfNsA, long deviceSelfNsB, int matched, List<OpCompare.Row> items) {
    }

    /** The answer (202) while a trace is decoded: {@code progress} 0–1, and the stored bytes read so far. */
    public record Indexing(String state, String file, double progress, long bytesRead, long fileBytes) {
    }
}
