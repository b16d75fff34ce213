package dev.athanor.query.testing;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
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
import org.postgresql.PGConnection;

/**
 * Writes index rows directly, the way ingest-service does (chunks with roll-ups via COPY), so
 * query tests need no ingest. Also writes real raw segments for blob tests.
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO series (run_id, tag, plugin, data_class, metadata,"
                     + " from_legacy_value) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setLong(1, runId);
            ps.setString(2, tag);
            ps.setString(3, plugin);
            ps.setInt(4, dataClass);
            ps.setBytes(5, metadata);
            ps.setBoolean(6, fromLegacyValue);
            return id(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
     * Appends points in chunks of {@code chunkSize} via COPY, each with its roll-up, then brings
     * the series roll-up up to date. Steps must be increasing and after the series' last step.
     */
    public void scalars(long seriesId, long[] steps, double[] walls, double[] values, int chunkSize) {
        StringBuilder copy = new StringBuilder();
        for (int from = 0; from < steps.length; from += chunkSize) {
            int to = Math.min(steps.length, from + chunkSize);
            appendChunkRow(copy, seriesId, steps, walls, values, from, to);
        }
        try (Connection c = dataSource.getConnection()) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY scalar_chunk (series_id, first_step, last_step, point_count, steps, wall_times, vals, "
                            + "min_value, max_value, first_value, last_value, first_wall_time, last_wall_time, "
                            + "nan_count, inf_count) FROM STDIN", new StringReader(copy.toString()));
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE series s SET point_count = agg.n, first_step = agg.first_step, last_step = agg.last_step,
                        min_value = agg.min_value, max_value = agg.max_value, nan_count = agg.nans, inf_count = agg.infs,
                        last_value = last.last_value, last_wall_time = last.last_wall_time
                    FROM (SELECT sum(point_count) n, min(first_step) first_step, max(last_step) last_step,
                                 min(min_value) min_value, max(max_value) max_value, sum(nan_count) nans, sum(inf_count) infs
                          FROM scalar_chunk WHERE series_id = ?) agg,
                         (SELECT last_value, last_wall_time FROM scalar_chunk WHERE series_id = ?
                          ORDER BY first_step DESC LIMIT 1) last
                    WHERE s.id = ?""")) {
                ps.setLong(1, seriesId);
                ps.setLong(2, seriesId);
                ps.setLong(3, seriesId);
                ps.executeUpdate();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void appendChunkRow(StringBuilder out, long seriesId, long[] steps, double[] walls, double[] values,
                                       int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int nans = 0;
        int infs = 0;
        boolean anyFinite = false;
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                nans++;
            } else if (Double.isInfinite(v)) {
                infs++;
            } else {
                anyFinite = true;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        out.append(seriesId).append('\t').append(steps[from]).append('\t').append(steps[to - 1]).append('\t')
                .append(to - from).append('\t');
        array(out, from, to, i -> Long.toString(steps[i]));
        out.append('\t');
        array(out, from, to, i -> Double.toString(walls[i]));
        out.append('\t');
        array(out, from, to, i -> Double.toString(values[i]));
        out.append('\t').append(anyFinite ? Double.toString(min) : "\\N")
                .append('\t').append(anyFinite ? Double.toString(max) : "\\N")
                .append('\t').append(values[from])
                .append('\t').append(values[to - 1])
                .append('\t').append(walls[from])
                .append('\t').append(walls[to - 1])
                .append('\t').append(nans)
                .append('\t').append(infs)
                .append('\n');
    }

    private static void array(StringBuilder out, int from, int to, java.util.function.IntFunction<String> item) {
        out.append('{');
        for (int i = from; i < to; i++) {
            if (i > from) {
                out.append(',');
            }
            out.append(item.apply(i));
        }
        out.append('}');
    }

    public void tensor(long seriesId, long step, double wallTime, TensorProto tensor) {
        List<Long> shape = new ArrayList<>();
        tensor.getTensorShape().getDimList().forEach(d -> shape.add(d.getSize()));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO tensor_point (series_id, step, wall_time, dtype, "
                     + "shape, tensor) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, step);
            ps.setDouble(3, wallTime);
            ps.setInt(4, tensor.getDtypeValue());
            ps.setArray(5, c.createArrayOf("bigint", shape.toArray()));
            ps.setBytes(6, tensor.toByteArray());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO blob_sequence_point (series_id, step, wall_time, "
                     + "segment_id, record_offset, record_length, blob_count, blob_lengths) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, step);
            ps.setDouble(3, wallTime);
            ps.setLong(4, segmentId);
            ps.setLong(5, offset);
            ps.setInt(6, length);
            ps.setInt(7, blobLengths.length);
            Integer[] boxed = new Integer[blobLengths.length];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = blobLengths[i];
            }
            ps.setArray(8, c.createArrayOf("integer", boxed));
            ps.executeUpdate();
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
