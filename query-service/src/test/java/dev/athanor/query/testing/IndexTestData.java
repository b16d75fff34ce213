package dev.athanor.query.testing;

import dev.athanor.index.write.IndexWriter;
import dev.athanor.index.write.SeriesRows;
import dev.athanor.index.write.SubBlocks;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Writes index rows directly, so query tests need no ingest: series and points through ingest's own
 * writer ({@link IndexWriter}: the same chunks, COPY rows and roll-ups), experiments, runs and
 * catalog rows by plain statements. Also writes real raw segments for blob tests.
 */
public final class IndexTestData {

    private static final AtomicLong UNIQUE = new AtomicLong(System.nanoTime() % 1_000_000);

    private final DataSource dataSource;

    public IndexTestData(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A name no other test uses, for isolation in the shared database. */
    public static String unique(String prefix) {
        return prefix + "-" + UNIQUE.incrementAndGet();
    }

    public long experiment(String name) {
        return insertId("INSERT INTO experiment (project_id, name, description) "
                + "SELECT id, ?, 'test' FROM project WHERE name = 'default' RETURNING id", name);
    }

    public long run(long experimentId, String path) {
        return run(experimentId, path, "RUNNING", null, "{}");
    }

    public long run(long experimentId, String path, String status, Instant started, String hparamsJson) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO run (experiment_id, path, status, started_at, "
                     + "last_event_at, hparams) VALUES (?, ?, ?, ?, ?, ?::jsonb) RETURNING id")) {
            ps.setLong(1, experimentId);
            ps.setString(2, path);
            ps.setString(3, status);
            ps.setTimestamp(4, started == null ? null : Timestamp.from(started));
            ps.setTimestamp(5, started == null ? null : Timestamp.from(started.plusSeconds(60)));
            ps.setString(6, hparamsJson);
            return id(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void execute(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long series(long runId, String tag, String plugin, int dataClass) {
        return series(runId, tag, plugin, dataClass, null);
    }

    public long series(long runId, String tag, String plugin, int dataClass, byte[] metadata) {
        return series(runId, tag, plugin, dataClass, metadata, false);
    }

    public long series(long runId, String tag, String plugin, int dataClass, byte[] metadata, boolean fromLegacyValue) {
        return write(w -> w.series(runId, new SeriesRows.NewSeries(tag, plugin, (short) dataClass, metadata,
                fromLegacyValue)));
    }

    /** A scalar series with points at steps 0..n-1, values from {@code values}, wall time 1000 + step. */
    public long scalarSeries(long runId, String tag, double[] values, int chunkSize) {
        long[] steps = new long[values.length];
        double[] walls = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            steps[i] = i;
            walls[i] = 1000.0 + i;
        }
        long seriesId = series(runId, tag, "scalars", 1);
        scalars(seriesId, steps, walls, values, chunkSize);
        return seriesId;
    }

    /**
     * Appends points in chunks of {@code chunkSize}, each with its roll-up, and brings the series
     * roll-up up to date, through ingest's own writer. Steps must be increasing and after the
     * series' last step.
     */
    public void scalars(long seriesId, long[] steps, double[] walls, double[] values, int chunkSize) {
        write(w -> {
            w.scalars(seriesId, steps, walls, values, chunkSize);
            return null;
        });
    }

    /**
     * Makes the series' chunks that {@code where} (a condition on scalar_chunk's columns) holds look
     * as the 2026-12-06 writer stored them: step and wall blocks in sub_blocks (index-writer's
     * combined version 2), wall_blocks NULL. Those chunks must be in the current layout.
     */
    public void combineSubBlocks(long seriesId, String where) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement read = c.prepareStatement("SELECT first_step, sub_blocks, wall_blocks FROM scalar_chunk"
                     + " WHERE series_id = ? AND (" + where + ")");
             PreparedStatement write = c.prepareStatement("UPDATE scalar_chunk SET sub_blocks = ?, wall_blocks = NULL"
                     + " WHERE series_id = ? AND first_step = ?")) {
            read.setLong(1, seriesId);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    write.setBytes(1, SubBlocks.combined(new SubBlocks.Summaries(rs.getBytes(2), rs.getBytes(3))));
                    write.setLong(2, seriesId);
                    write.setLong(3, rs.getLong(1));
                    write.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void tensor(long seriesId, long step, double wallTime, TensorProto tensor) {
        long[] shape = tensor.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
        write(w -> {
            w.tensor(seriesId, step, wallTime, tensor.getDtypeValue(), shape, tensor.toByteArray());
            return null;
        });
    }

    /** A raw segment on disk: the events are framed as TFRecords after a file_version record. */
    public RawSegment rawSegment(long runId, Path hotRoot, String relativePath, List<Event> events) {
        Path file = hotRoot.resolve(relativePath);
        List<Long> offsets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file);
                 EventFileWriter writer = EventFileWriter.wrap(file, out)) {
                writer.write(Event.newBuilder().setWallTime(1.0).setFileVersion(EventFileWriter.FILE_VERSION).build());
                for (Event event : events) {
                    byte[] payload = event.toByteArray();
                    offsets.add(writer.writeSerialized(payload));
                    lengths.add(payload.length);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long segmentId = insertId("INSERT INTO raw_segment (run_id, relative_path, state, ingest_node) "
                + "VALUES (?, ?, 'SEALED', 'test') RETURNING id", runId, relativePath);
        return new RawSegment(segmentId, file, offsets, lengths);
    }

    public record RawSegment(long id, Path file, List<Long> offsets, List<Integer> lengths) {
    }

    /**
     * What archive-service does to a segment: a VERIFIED copy in {@code store} under {@code key}
     * (the caller wrote it), the hot copy marked removed and deleted.
     */
    public long archived(long runId, RawSegment segment, String store, String key, String tier, long crc32c) {
        long size;
        try {
            size = Files.size(segment.file());
            Files.delete(segment.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        execute("UPDATE raw_segment SET hot_deleted_at = now(), size_bytes = ? WHERE id = ?", size, segment.id());
        return insertId("""
                INSERT INTO archive_object (segment_id, run_id, store, tier, uri, object_key, size_bytes, crc32c, state,
                    verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'VERIFIED', now()) RETURNING id""",
                segment.id(), runId, store, tier, "file:///" + key, key, size, crc32c);
    }

    /** Catalogs an existing file under the hot root as a sealed raw segment. */
    public long segmentRow(long runId, String relativePath) {
        return insertId("INSERT INTO raw_segment (run_id, relative_path, state, ingest_node) "
                + "VALUES (?, ?, 'SEALED', 'test') RETURNING id", runId, relativePath);
    }

    public void blobPoint(long seriesId, long step, double wallTime, long segmentId, long offset, int length,
                          int[] blobLengths) {
        write(w -> {
            w.blob(seriesId, step, wallTime, segmentId, offset, length, blobLengths);
            return null;
        });
    }

    private interface Writes<T> {
        T apply(IndexWriter writer) throws SQLException;
    }

    /** Runs {@code writes} with the index writer on a connection of its own, and flushes what they gathered. */
    private <T> T write(Writes<T> writes) {
        try (Connection c = dataSource.getConnection()) {
            IndexWriter writer = new IndexWriter(c);
            T result = writes.apply(writer);
            writer.flush();
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long insertId(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return id(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long id(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
