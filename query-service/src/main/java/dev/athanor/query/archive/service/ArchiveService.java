package dev.athanor.query.archive.service;

import dev.athanor.archive.store.Readability;
import dev.athanor.query.archive.api.RunArchive;
import dev.athanor.query.archive.store.ArchivedSegments;
import dev.athanor.query.archive.store.RestoreStatus;
import dev.athanor.query.archive.store.Restores;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.runs.service.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Where a run's raw segments are (hot, archived, restoring) and restores on request. */
@ApplicationScoped
public class ArchiveService {

    private final Jdbc jdbc;
    private final ArchivedSegments archive;
    private final Restores restores;
    private final RunService runs;

    public ArchiveService(Jdbc jdbc, ArchivedSegments archive, Restores restores, RunService runs) {
        this.jdbc = jdbc;
        this.archive = archive;
        this.restores = restores;
        this.runs = runs;
    }

    public RunArchive run(long runId) {
        runs.get(runId);
        List<RunArchive.Segment> segments = jdbc.list(SqlFragment.of("""
                SELECT g.id, g.relative_path, g.state, g.size_bytes, g.hot_deleted_at IS NULL, o.tier, o.state, r.state
                FROM raw_segment g
                LEFT JOIN archive_object o ON o.segment_id = g.id AND o.state = 'VERIFIED'
                LEFT JOIN archive_restore r ON r.object_id = o.id
                WHERE g.run_id = ? ORDER BY g.relative_path, o.store""", runId),
                rs -> new RunArchive.Segment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getBoolean(5), rs.getString(6), rs.getString(7), rs.getString(8)));
        return new RunArchive(runId, segments);
    }

    /** The restore state of one archived segment of the run, refreshed from the store. */
    public RestoreStatus segment(long runId, long segmentId) {
        return restores.status(copy(runId, segmentId));
    }

    /** Starts restores of every archived segment of the run that cannot be read now. */
    public List<RestoreStatus> restoreRun(long runId) {
        runs.get(runId);
        List<Long> segmentIds = jdbc.list(SqlFragment.of(
                "SELECT id FROM raw_segment WHERE run_id = ? AND hot_deleted_at IS NOT NULL ORDER BY id", runId),
                rs -> rs.getLong(1));
        List<RestoreStatus> out = new ArrayList<>();
        for (long segmentId : segmentIds) {
            archive.copyOf(segmentId).ifPresent(copy -> {
                RestoreStatus now = restores.status(copy);
                boolean readable = now.state().equals("READABLE") || now.state().equals("RESTORED");
                out.add(readable || now.state().equals("RESTORING") ? now
                        : restores.start(copy, Readability.NEEDS_RESTORE));
            });
        }
        return out;
    }

    private ArchivedSegments.ArchivedCopy copy(long runId, long segmentId) {
        return archive.copyOf(segmentId).filter(c -> c.runId() == runId).orElseThrow(() -> new NotFoundException(
                "segmentId", "run " + runId + " has no archived segment " + segmentId));
    }
}
