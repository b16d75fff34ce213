package dev.athanor.archive.policy;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.UnsafeHotPathException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes runs (segments and asset files) whose project's retention has passed since they ended, unless the project is on
 * legal hold: archived copies first (deletes are idempotent), then hot files and the run's journal,
 * then — in one transaction — one audit row per segment in archive_deletion and the run itself
 * (its index rows cascade). A crash part-way leaves the run in the catalog and the next pass
 * finishes the job; nothing is deleted without its audit row being written in the same commit as
 * the run's removal.
 */
public final class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    /** What one sweep deleted. */
    public record Result(int runs, int segments, long bytes) {
    }

    private record Expired(long runId, String project, String experiment, String runPath, Timestamp endedAt,
                           String retention) {
    }

    private record Segment(long id, String relativePath, long size, Long crc32c, boolean hotDeleted, String store,
                           String objectKey) {
    }

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final HotRoot hotRoot;
    private final Clock clock;
    private final String actor;

    public RetentionSweeper(ObjectStore store, ArchiveCatalog catalog, HotRoot hotRoot, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.hotRoot = hotRoot;
        this.clock = clock;
        this.actor = "archive-service/" + catalog.store() + "/" + catalog.node().orElse("*");
    }

    public Result sweep(int limit) throws SQLException {
        int runs = 0;
        int segments = 0;
        long bytes = 0;
        for (Expired run : expiredRuns(limit)) {
            try {
                List<Segment> parts = segments(run.runId());
                if (parts.stream().anyMatch(s -> s.store() != null && !s.store().equals(catalog.store()))) {
                    LOG.warnf("run %d (%s/%s/%s) is past retention but has copies in another store; this worker"
                            + " only deletes from '%s', so the run stays", run.runId(), run.project(), run.experiment(),
                            run.runPath(), catalog.store());
                    continue;
                }
                for (Segment s : parts) {
                    if (s.objectKey() != null) {
                        store.delete(s.objectKey());
                    }
                    if (!s.hotDeleted()) {
                        Files.deleteIfExists(hotRoot.resolve(s.relativePath()));
                    }
                }
                removeRunDirectory(run);
                record(run, parts);
                runs++;
                segments += parts.size();
                bytes += parts.stream().mapToLong(Segment::size).sum();
                LOG.infof("retention: deleted run %d (%s/%s/%s, ended %s, retention %s): %d segments",
                        run.runId(), run.project(), run.experiment(), run.runPath(), run.endedAt(), run.retention(),
                        parts.size());
            } catch (StoreException | UnsafeHotPathException e) {
                LOG.warnf("retention: run %d stays for now: %s", run.runId(), e.getMessage());
            } catch (IOException e) {
                LOG.warnf("retention: run %d stays for now: %s", run.runId(), e);
            }
        }
        return new Result(runs, segments, bytes);
    }

    /** Finished runs of projects with a retention, not on legal hold, whose segments are all on this node. */
    private List<Expired> expiredRuns(int limit) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.id, p.name, e.name, r.path, coalesce(r.ended_at, r.last_event_at, r.created_at),
                       pol.retention::text
                FROM run r JOIN experiment e ON e.id = r.experiment_id JOIN project p ON p.id = e.project_id
                JOIN archive_policy pol ON pol.project_id = p.id
                WHERE pol.retention IS NOT NULL AND NOT pol.legal_hold AND r.status <> 'RUNNING'
                  AND coalesce(r.ended_at, r.last_event_at, r.created_at) <= ?::timestamptz - pol.retention
                  AND (?::text IS NULL OR NOT EXISTS (
                        SELECT 1 FROM raw_segment s WHERE s.run_id = r.id AND s.ingest_node <> ?))
                ORDER BY r.id LIMIT ?""")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, catalog.node().orElse(null));
            ps.setString(3, catalog.node().orElse(null));
            ps.setInt(4, limit);
            List<Expired> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Expired(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5), rs.getString(6)));
                }
            }
            return out;
        }
    }

    /** The run's segments and asset files (hot_deleted false for assets: their hot copy is kept), with their copies. */
    private List<Segment> segments(long runId) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT s.id, s.relative_path, s.size_bytes, s.crc32c, s.hot_deleted_at IS NOT NULL, o.store, o.object_key
                FROM raw_segment s LEFT JOIN archive_object o ON o.segment_id = s.id
                WHERE s.run_id = ?
                UNION ALL
                SELECT a.id, a.relative_path, a.size_bytes, a.crc32c, false, x.store, x.object_key
                FROM run_asset a LEFT JOIN archive_asset x ON x.asset_id = a.id
                WHERE a.run_id = ? ORDER BY 2""")) {
            ps.setLong(1, runId);
            ps.setLong(2, runId);
            List<Segment> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Segment(rs.getLong(1), rs.getString(2), rs.getLong(3), (Long) rs.getObject(4),
                            rs.getBoolean(5), rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        }
    }

    /** The run's journal and its now empty directory (sub-runs keep theirs). */
    private void removeRunDirectory(Expired run) throws IOException {
        Path dir = hotRoot.runDirectory(run.project(), run.experiment(), run.runPath());
        Files.deleteIfExists(dir.resolve(Journal.FILE_NAME));
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // other runs live below it, or it was never created here
        }
    }

    private void record(Expired run, List<Segment> parts) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO archive_deletion (project, experiment, run_path, run_id, segment_path, store,
                            object_key, size_bytes, crc32c, reason, retention, run_ended_at, deleted_at, deleted_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'RETENTION', ?::interval, ?, ?, ?)""")) {
                    List<Segment> rows = parts.isEmpty() ? java.util.Collections.singletonList(null) : parts;
                    for (Segment s : rows) {
                        ps.setString(1, run.project());
                        ps.setString(2, run.experiment());
                        ps.setString(3, run.runPath());
                        ps.setLong(4, run.runId());
                        ps.setString(5, s == null ? null : s.relativePath());
                        ps.setString(6, s == null ? null : s.store());
                        ps.setString(7, s == null ? null : s.objectKey());
                        ps.setObject(8, s == null ? null : s.size());
                        ps.setObject(9, s == null ? null : s.crc32c());
                        ps.setString(10, run.retention());
                        ps.setTimestamp(11, run.endedAt());
                        ps.setTimestamp(12, Timestamp.from(clock.instant()));
                        ps.setString(13, actor);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM run WHERE id = ?")) {
                    ps.setLong(1, run.runId());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
