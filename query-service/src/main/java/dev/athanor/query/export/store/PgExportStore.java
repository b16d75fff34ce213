package dev.athanor.query.export.store;

import dev.athanor.query.common.jdbc.Trash;
import dev.athanor.query.common.jdbc.DataAccessException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.sql.FilterCompiler;
import dev.athanor.query.runs.store.RunRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@link ExportStore} over PostgreSQL. Consistency: one REPEATABLE READ, READ ONLY transaction per
 * export, so every row comes from the same snapshot (rows committed by ingest after it started
 * are not seen, a rewind committed meanwhile does not tear a series). Rows are read through
 * server-side cursors (autocommit off, a fetch size), so memory stays bounded; no statement
 * timeout applies, an export may stream for long.
 */
public final class PgExportStore implements ExportStore {

    private final DataSource dataSource;
    private final int fetchSize;

    public PgExportStore(DataSource dataSource, int fetchSize) {
        this.dataSource = dataSource;
        this.fetchSize = fetchSize;
    }

    @Override
    public ExportSnapshot open(ExportSelection selection) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            Instant snapshot;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
                rs.next();
                snapshot = rs.getTimestamp(1).toInstant();
            }
            List<RunMetadata> metadata = new ArrayList<>();
            List<RunRef> runs = runs(c, selection, metadata);
            return new Snapshot(c, selection, snapshot, runs, metadata);
        } catch (SQLException e) {
            close(c);
            throw new DataAccessException(e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** A run's metadata set over REST, exported as a "run_metadata" line before its series. */
    private record RunMetadata(String run, String displayName, List<String> labels, String note, String color,
                               boolean pinned) {
    }

    /** The plugin name under which run metadata is exported (and selected with {@code plugin}). */
    public static final String RUN_METADATA = "run_metadata";

    private static List<RunRef> runs(Connection c, ExportSelection selection, List<RunMetadata> metadata)
            throws SQLException {
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id, r.experiment_id, r.path, r.display_name,"
                        + " r.labels, r.note, r.color, r.pinned FROM run r WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ")
                .param(selection.experimentId());
        if (selection.runIds() != null) {
            sql.sql(" AND r.id = ANY(").param(selection.runIds()).sql(")");
        }
        if (selection.filter() != null) {
            sql.sql(" AND ").append(new FilterCompiler("filter").predicate(selection.filter()));
        }
        sql.sql(" ORDER BY r.path");
        SqlFragment query = sql.build();
        try (PreparedStatement ps = c.prepareStatement(query.sql())) {
            Jdbc.bind(c, ps, query.params());
            try (ResultSet rs = ps.executeQuery()) {
                List<RunRef> runs = new ArrayList<>();
                while (rs.next()) {
                    runs.add(new RunRef(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                    List<String> labels = List.of((String[]) rs.getArray(5).getArray());
                    if (rs.getString(4) != null || !labels.isEmpty() || rs.getString(6) != null
                            || rs.getString(7) != null || rs.getBoolean(8)) {
                        metadata.add(new RunMetadata(rs.getString(3), rs.getString(4), labels, rs.getString(6),
                                rs.getString(7), rs.getBoolean(8)));
                    }
                }
                return runs;
            }
        }
    }

    private static void close(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is being discarded anyway
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }

    private final class Snapshot implements ExportSnapshot {
        private final Connection connection;
        private final ExportSelection selection;
        private final Instant time;
        private final List<RunRef> runs;
        private final List<RunMetadata> metadata;

        Snapshot(Connection connection, ExportSelection selection, Instant time, List<RunRef> runs,
                 List<RunMetadata> metadata) {
            this.connection = connection;
            this.selection = selection;
            this.time = time;
            this.runs = runs;
            this.metadata = metadata;
        }

        @Override
        public Instant snapshotTime() {
            return time;
        }

        @Override
        public List<RunRef> runs() {
            return runs;
        }

        private record SeriesRow(long id, long runId, String tag, String plugin, int dataClass) {
        }

        @Override
        public void write(ExportSink sink) throws IOException {
            if (runs.isEmpty()) {
                return;
            }
            if (selection.plugins().isEmpty() || selection.plugins().contains(RUN_METADATA)) {
                for (RunMetadata m : metadata) {
                    sink.runMetadata(m.run(), m.displayName(), m.labels(), m.note(), m.color(), m.pinned());
                }
            }
            try {
                Map<Long, String> paths = new HashMap<>();
                runs.forEach(r -> paths.put(r.id(), r.path()));
                for (SeriesRow series : series()) {
                    String run = paths.get(series.runId());
                    switch (series.dataClass()) {
                        case 1 -> scalars(series, run, sink);
                        case 3 -> blobs(series, run, sink);
                        default -> tensors(series, run, sink);
                    }
                }
            } catch (SQLException e) {
                throw new DataAccessException(e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        private List<SeriesRow> series() throws SQLException {
            SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT s.id, s.run_id, s.tag, s.plugin, s.data_class"
                    + " FROM series s JOIN run r ON r.id = s.run_id WHERE " + Trash.runVisible("r") + " AND s.run_id = ANY(")
                    .param(runs.stream().map(RunRef::id).toList()).sql(")");
            if (!selection.tags().isEmpty()) {
                sql.sql(" AND s.tag = ANY(").param(selection.tags()).sql(")");
            }
            if (!selection.plugins().isEmpty()) {
                sql.sql(" AND s.plugin = ANY(").param(selection.plugins()).sql(")");
            }
            sql.sql(" ORDER BY r.path, s.tag");
            List<SeriesRow> out = new ArrayList<>();
            query(sql.build(), rs -> out.add(new SeriesRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                    rs.getInt(5))));
            return out;
        }

        private void scalars(SeriesRow series, String run, ExportSink sink) throws SQLException {
            long lo = selection.range().lo();
            long hi = selection.range().hi();
            query(SqlFragment.builder().sql("SELECT steps, wall_times, vals FROM scalar_chunk WHERE series_id = ")
                    .param(series.id()).sql(" AND last_step >= ").param(lo).sql(" AND first_step <= ").param(hi)
                    .sql(" ORDER BY first_step").build(), rs -> {
                        Object[] steps = (Object[]) rs.getArray(1).getArray();
                        Object[] walls = (Object[]) rs.getArray(2).getArray();
                        Object[] values = (Object[]) rs.getArray(3).getArray();
                        for (int i = 0; i < steps.length; i++) {
                            long step = ((Number) steps[i]).longValue();
                            if (step >= lo && step <= hi) {
                                sink.scalar(run, series.tag(), series.plugin(), step, ((Number) walls[i]).doubleValue(),
                                        ((Number) values[i]).doubleValue());
                            }
                        }
                    });
        }

        private void tensors(SeriesRow series, String run, ExportSink sink) throws SQLException {
            query(SqlFragment.builder().sql("SELECT step, wall_time, dtype, shape, octet_length(tensor) FROM tensor_point"
                    + " WHERE series_id = ").param(series.id()).sql(" AND step BETWEEN ").param(selection.range().lo())
                    .sql(" AND ").param(selection.range().hi()).sql(" ORDER BY step").build(), rs -> {
                        Object[] dims = (Object[]) rs.getArray(4).getArray();
                        long[] shape = new long[dims.length];
                        for (int i = 0; i < dims.length; i++) {
                            shape[i] = ((Number) dims[i]).longValue();
                        }
                        sink.tensor(run, series.tag(), series.plugin(), rs.getLong(1), rs.getDouble(2), rs.getInt(3), shape,
                                rs.getInt(5));
                    });
        }

        private void blobs(SeriesRow series, String run, ExportSink sink) throws SQLException {
            query(SqlFragment.builder().sql("SELECT step, wall_time, blob_lengths FROM blob_sequence_point WHERE series_id = ")
                    .param(series.id()).sql(" AND step BETWEEN ").param(selection.range().lo())
                    .sql(" AND ").param(selection.range().hi()).sql(" ORDER BY step").build(), rs -> {
                        Array array = rs.getArray(3);
                        Object[] lengths = (Object[]) array.getArray();
                        int[] out = new int[lengths.length];
                        for (int i = 0; i < out.length; i++) {
                            out[i] = ((Number) lengths[i]).intValue();
                        }
                        sink.blobs(run, series.tag(), series.plugin(), rs.getLong(1), rs.getDouble(2), out);
                    });
        }

        private interface RowHandler {
            void row(ResultSet rs) throws SQLException, IOException;
        }

        private void query(SqlFragment query, RowHandler handler) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(query.sql())) {
                ps.setFetchSize(fetchSize);
                Jdbc.bind(connection, ps, query.params());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.row(rs);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            PgExportStore.close(connection);
        }
    }
}
