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
import java.util.Optional;
import java.util.function.Function;

/**
 * Removes one run everywhere, for retention and for purges: its replicated copies, its archived
 * copies (deletes are idempotent), its hot files and journal, then — in one transaction — one
 * audit row per removed file or object in archive_deletion and the run itself (its index rows,
 * lease and purge request cascade). A crash part-way leaves the run in the catalog and the next
 * pass finishes the job; nothing is deleted without its audit row being written in the same commit
 * as the run's removal.
 */
public final class RunRemover {

    /** A run to remove, by the names it has in the hot root. */
    public record Target(long runId, String project, String experiment, String runPath, Timestamp endedAt,
                         String retention) {
    }

    /** The run could not be removed now (a copy in a store this worker cannot reach, a store error). */
    public static final class NotNowException extends Exception {
        public NotNowException(String message) {
            super(message);
        }
    }

    /** A removed file or object: a segment or asset file with its archived copy, or a replica. */
    private record Part(String kind, String relativePath, long size, Long crc32c, boolean hotDeleted, String store,
                        String objectKey) {

        /** A file of the run (segment or asset file) with its primary copy, not a replica. */
        boolean hot() {
            return !kind.equals("replica");
        }
    }

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final HotRoot hotRoot;
    private final Clock clock;
    private final Function<String, Optional<ObjectStore>> destinations;
    private final String actor;

    /** @param destinations the store of a replication destination by name (empty: not configured here) */
    public RunRemover(ObjectStore store, ArchiveCatalog catalog, HotRoot hotRoot, Clock clock,
                      Function<String, Optional<ObjectStore>> destinations) {
        this.store = store;
        this.catalog = catalog;
        this.hotRoot = hotRoot;
        this.clock = clock;
        this.destinations = destinations;
        this.actor = "archive-service/" + catalog.store() + "/" + catalog.node().orElse("*");
    }

    /** Removes the run; returns how many files and objects went, with their bytes. */
    public RetentionSweeper.Result remove(Target run, String reason) throws SQLException, NotNowException {
        List<Part> parts = parts(run.runId());
        for (Part p : parts) {
            if (p.hot() && p.store() != null && !p.store().equals(catalog.store())) {
                throw new NotNowException("it has copies in store '" + p.store() + "'; this worker only deletes from '"
                        + catalog.store() + "'");
            }
            if (!p.hot() && destinations.apply(p.store()).isEmpty()) {
                throw new NotNowException("it has replicas in destination '" + p.store()
                        + "', which is not configured on this archive-service");
            }
        }
        try {
            for (Part p : parts) {
                if (!p.hot()) {
                    destinations.apply(p.store()).orElseThrow().delete(p.objectKey());
                    continue;
                }
                if (p.objectKey() != null) {
                    store.delete(p.objectKey());
                }
                if (!p.hotDeleted()) {
                    Files.deleteIfExists(hotRoot.resolve(p.relativePath()));
                }
            }
            removeRunDirectories(run, parts);
        } catch (StoreException | UnsafeHotPathException e) {
            throw new NotNowException(e.getMessage());
        } catch (IOException e) {
            throw new NotNowException(e.toString());
        }
        record(run, parts, reason);
        return new RetentionSweeper.Result(1, parts.size(), parts.stream().mapToLong(Part::size).sum());
    }

    /**
     * The run's segments and asset files (hot_deleted false for assets: their hot copy is kept),
     * with their primary copies, then its replicas (store = destination).
     */
    private List<Part> parts(long runId) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT 'segment', s.relative_path, s.size_bytes, s.crc32c, s.hot_deleted_at IS NOT NULL, o.store, o.object_key
                FROM raw_segment s LEFT JOIN archive_object o ON o.segment_id = s.id
                WHERE s.run_id = ?
                UNION ALL
                SELECT 'asset', a.relative_path, a.size_bytes, a.crc32c, false, x.store, x.object_key
                FROM run_asset a LEFT JOIN archive_asset x ON x.asset_id = a.id
                WHERE a.run_id = ?
                UNION ALL
                SELECT 'replica', NULL, c.size_bytes, c.crc32c, true, c.destination, c.object_key
                FROM archive_replica c WHERE c.run_id = ?
                ORDER BY 1 DESC, 2, 7""")) {
            ps.setLong(1, runId);
            ps.setLong(2, runId);
            ps.setLong(3, runId);
            List<Part> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Part(rs.getString(1), rs.getString(2), rs.getLong(3), (Long) rs.getObject(4),
                            rs.getBoolean(5), rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        }
    }

    /**
     * The run's journal and its now empty directory (sub-runs keep theirs): where its segments were
     * written (a renamed experiment or a moved run keeps its files under the names it had then), and
     * where its current names put it.
     */
    private void removeRunDirectories(Target run, List<Part> parts) throws IOException {
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
        for (Part p : parts) {
            if (p.kind().equals("segment")) {
                dirs.add(hotRoot.resolve(p.relativePath()).getParent());
            }
        }
        dirs.add(hotRoot.runDirectory(run.project(), run.experiment(), run.runPath()));
        for (Path dir : dirs) {
            removeRunDirectory(dir);
        }
    }

    private static void removeRunDirectory(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(Journal.FILE_NAME));
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // other runs live below it, or it was never created here
        }
    }

    private void record(Target run, List<Part> parts, String reason) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO archive_deletion (project, experiment, run_path, run_id, segment_path, store,
                            object_key, size_bytes, crc32c, reason, retention, run_ended_at, deleted_at, deleted_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::interval, ?, ?, ?)""")) {
                    List<Part> rows = parts.isEmpty() ? java.util.Collections.singletonList(null) : parts;
                    for (Part p : rows) {
                        ps.setString(1, run.project());
                        ps.setString(2, run.experiment());
                        ps.setString(3, run.runPath());
                        ps.setLong(4, run.runId());
                        ps.setString(5, p == null ? null : p.relativePath());
                        ps.setString(6, p == null ? null : p.store());
                        ps.setString(7, p == null ? null : p.objectKey());
                        ps.setObject(8, p == null ? null : p.size());
                        ps.setObject(9, p == null ? null : p.crc32c());
                        ps.setString(10, reason);
                        ps.setString(11, run.retention());
                        ps.setTimestamp(12, run.endedAt());
                        ps.setTimestamp(13, Timestamp.from(clock.instant()));
                        ps.setString(14, actor);
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
