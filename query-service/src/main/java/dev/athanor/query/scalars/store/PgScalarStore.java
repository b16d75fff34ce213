package dev.athanor.query.scalars.store;

import dev.athanor.index.write.SubBlocks;
import dev.athanor.query.common.jdbc.Trash;
import dev.athanor.query.common.jdbc.DataAccessException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ScalarStore} over scalar_chunk: roll-ups first, point arrays only for chunks the
 * {@link Downsampler} opens. One read runs in one REPEATABLE READ, READ ONLY transaction, so the
 * roll-ups and the points it opens come from the same snapshot even while ingest rewrites a
 * series' tail chunk or replaces rewound steps: counts always add up.
 */
public final class PgScalarStore implements ScalarStore {

    private final Jdbc jdbc;
    private final int maxOpenPoints;

    public PgScalarStore(Jdbc jdbc) {
        this(jdbc, Downsampler.DEFAULT_MAX_OPEN_POINTS);
    }

    public PgScalarStore(Jdbc jdbc, int maxOpenPoints) {
        this.jdbc = jdbc;
        this.maxOpenPoints = maxOpenPoints;
    }

    @Override
    public List<ScalarSeriesRef> findSeries(Collection<Long> runIds, Collection<String> tags) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("""
                SELECT s.id, s.run_id, r.path, s.tag, s.point_count
                FROM series s JOIN run r ON r.id = s.run_id
                WHERE s.data_class = 1""" + " AND " + Trash.runVisible("r") + " AND s.run_id = ANY(").param(List.copyOf(runIds)).sql(")");
        if (!tags.isEmpty()) {
            sql.sql(" AND s.tag = ANY(").param(List.copyOf(tags)).sql(")");
        }
        sql.sql(" ORDER BY natural_sort_key(r.path), r.path, s.tag");
        return jdbc.list(sql.build(), rs -> new ScalarSeriesRef(rs.getLong(1), rs.getLong(2), rs.getString(3),
                rs.getString(4), rs.getLong(5)));
    }

    @Override
    public List<DownsampledSeries> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints,
                                        boolean aligned) {
        if (series.isEmpty()) {
            return List.of();
        }
        return inSnapshot(chunks -> new Downsampler(chunks, maxOpenPoints).read(series, range, x, maxPoints, aligned));
    }

    @Override
    public List<M4Series> readColumns(List<ScalarSeriesRef> series, StepRange range, XAxis x, int buckets) {
        if (series.isEmpty()) {
            return List.of();
        }
        return inSnapshot(chunks -> new M4Downsampler(chunks).read(series, range, x, buckets));
    }

    @Override
    public Map<Long, ChunkPoints> pickPoints(Collection<Long> seriesIds, int k) {
        if (seriesIds.isEmpty() || k <= 0) {
            return Map.of();
        }
        return inSnapshot(chunks -> new EvenPointPicker(chunks).pick(seriesIds, k));
    }

    /** Runs one read in a REPEATABLE READ, READ ONLY transaction (see the class comment). */
    private <T> T inSnapshot(java.util.function.Function<ChunkReader, T> read) {
        return jdbc.withConnection(connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                return read.apply(new Snapshot(connection));
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    /** Chunk reads on one connection, inside the read's transaction. */
    private final class Snapshot implements ChunkReader {
        private final Connection connection;

        Snapshot(Connection connection) {
            this.connection = connection;
        }

        @Override
        public List<ChunkSummary> summaries(Collection<Long> seriesIds, StepRange range) {
            return call(() -> PgScalarStore.this.summaries(connection, seriesIds, range));
        }

        @Override
        public List<ChunkBlocks> blocks(Collection<Long> seriesIds, StepRange range, XAxis x) {
            return call(() -> PgScalarStore.this.blocks(connection, seriesIds, range, x));
        }

        @Override
        public Map<ChunkKey, ChunkPoints> open(Collection<ChunkKey> chunks) {
            return call(() -> PgScalarStore.this.open(connection, chunks));
        }

        @Override
        public Map<Long, ChunkPoints> points(Collection<Long> seriesIds, StepRange range, boolean wallTimes) {
            return call(() -> PgScalarStore.this.points(connection, seriesIds, range, wallTimes));
        }
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> T call(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    List<ChunkSummary> summaries(Connection connection, Collection<Long> seriesIds, StepRange range) throws SQLException {
        // Per series, start at the chunk that holds the range's first step (the last chunk starting at
        // or before it), so a zoom into the end of a long series does not scan its beginning.
        SqlFragment sql = SqlFragment.builder()
                .sql("SELECT c.series_id, c.first_step, c.last_step, c.point_count, c.min_value, c.max_value,"
                        + " c.first_value, c.last_value, c.first_wall_time, c.last_wall_time, c.nan_count, c.inf_count"
                        + " FROM unnest(").param("?::bigint[]", List.copyOf(seriesIds))
                .sql(") AS q(sid) CROSS JOIN LATERAL (SELECT * FROM scalar_chunk c WHERE c.series_id = q.sid"
                        + " AND c.first_step >= COALESCE((SELECT max(c2.first_step) FROM scalar_chunk c2"
                        + " WHERE c2.series_id = q.sid AND c2.first_step <= ").param("?::bigint", range.lo())
                .sql("), ").param("?::bigint", range.lo()).sql(")")
                .sql(" AND c.first_step <= ").param("?::bigint", range.hi())
                .sql(" AND c.last_step >= ").param("?::bigint", range.lo())
                .sql(" ORDER BY c.first_step) c ORDER BY c.series_id, c.first_step").build();
        return jdbc.list(connection, sql, rs -> new ChunkSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
                Jdbc.getDouble(rs, "min_value"), Jdbc.getDouble(rs, "max_value"), rs.getDouble(7), rs.getDouble(8),
                rs.getDouble(9), rs.getDouble(10), rs.getInt(11), rs.getInt(12)));
    }

    /**
     * Every chunk of the series in the range with its summaries for the axis, in one statement that
     * reads the rows only: by step sub_blocks, by wall time wall_blocks (each in the row; the point
     * arrays in TOAST and the other axis' summaries are not touched). A chunk written on 2026-12-06
     * and not yet split by the backfill has both in sub_blocks (version 2): by wall time its
     * sub_blocks are read instead, only for such a chunk (wall_blocks NULL).
     */
    List<ChunkBlocks> blocks(Connection connection, Collection<Long> seriesIds, StepRange range, XAxis x)
            throws SQLException {
        boolean byStep = x == XAxis.STEP;
        String columns = byStep ? "c.sub_blocks, NULL" : "c.wall_blocks, CASE WHEN c.wall_blocks IS NULL AND"
                + " get_byte(c.sub_blocks, 0) = " + SubBlocks.COMBINED_VERSION + " THEN c.sub_blocks END";
        SqlFragment sql = SqlFragment.builder()
                .sql("SELECT c.series_id, c.first_step, c.last_step, c.point_count, " + columns + " FROM scalar_chunk c"
                        + " WHERE c.series_id = ANY(").param("?::bigint[]", List.copyOf(seriesIds))
                .sql(") AND c.first_step <= ").param("?::bigint", range.hi())
                .sql(" AND c.last_step >= ").param("?::bigint", range.lo())
                .sql(" ORDER BY c.series_id, c.first_step").build();
        return jdbc.listBinary(connection, sql, rs -> new ChunkBlocks(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                rs.getInt(4), byStep ? rs.getBytes(5) : ChunkBlocks.wallBlocks(rs.getBytes(5), rs.getBytes(6))));
    }

    /** Every chunk of the series that holds a step in the range, in one statement (see {@link ChunkReader#points}). */
    Map<Long, ChunkPoints> points(Connection connection, Collection<Long> seriesIds, StepRange range, boolean wallTimes)
            throws SQLException {
        // A chunk's steps are distinct and ascending, so when it holds every step from first to last
        // they are known from its roll-up: its steps array is then neither read from TOAST nor sent
        // (a run logging every step halves what this statement moves).
        SqlFragment sql = SqlFragment.builder()
                .sql("SELECT c.series_id, CASE WHEN c.last_step - c.first_step + 1 = c.point_count THEN NULL"
                        + " ELSE array_send(c.steps) END, " + (wallTimes ? "array_send(c.wall_times)" : "NULL")
                        + ", array_send(c.vals), c.first_step FROM scalar_chunk c WHERE c.series_id = ANY(")
                .param("?::bigint[]", List.copyOf(seriesIds))
                .sql(") AND c.first_step <= ").param("?::bigint", range.hi())
                .sql(" AND c.last_step >= ").param("?::bigint", range.lo())
                .sql(" ORDER BY c.series_id, c.first_step").build();
        Map<Long, SentChunks> bySeries = new java.util.LinkedHashMap<>();
        jdbc.listBinary(connection, sql, rs -> {
            bySeries.computeIfAbsent(rs.getLong(1), id -> new SentChunks())
                    .add(rs.getLong(5), rs.getBytes(2), wallTimes ? rs.getBytes(3) : null, rs.getBytes(4), range);
            return null;
        });
        Map<Long, ChunkPoints> out = new java.util.LinkedHashMap<>();
        bySeries.forEach((id, sent) -> {
            if (!sent.isEmpty()) {
                out.put(id, sent.toPoints(wallTimes));
            }
        });
        return out;
    }

    Map<ChunkKey, ChunkPoints> open(Connection connection, Collection<ChunkKey> chunks) throws SQLException {
        List<Long> series = new ArrayList<>(chunks.size());
        List<Long> firstSteps = new ArrayList<>(chunks.size());
        for (ChunkKey key : chunks) {
            series.add(key.seriesId());
            firstSteps.add(key.firstStep());
        }
        // array_send: the arrays travel in PostgreSQL's binary form and are decoded here without
        // boxing (text arrays cost several times more to print, send and parse).
        SqlFragment sql = SqlFragment.builder()
                .sql("SELECT c.series_id, c.first_step, array_send(c.steps), array_send(c.wall_times), array_send(c.vals)"
                        + " FROM unnest(")
                .param("?::bigint[]", series).sql(", ").param("?::bigint[]", firstSteps)
                .sql(") AS k(sid, fs) JOIN scalar_chunk c ON c.series_id = k.sid AND c.first_step = k.fs").build();
        Map<ChunkKey, ChunkPoints> out = new HashMap<>();
        jdbc.listBinary(connection, sql, rs -> {
            out.put(new ChunkKey(rs.getLong(1), rs.getLong(2)),
                    new ChunkPoints(BinaryArrays.int8(rs.getBytes(3)), BinaryArrays.float8(rs.getBytes(4)),
                            BinaryArrays.float8(rs.getBytes(5))));
            return null;
        });
        return out;
    }
}
