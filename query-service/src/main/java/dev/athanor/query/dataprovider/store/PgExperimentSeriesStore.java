package dev.athanor.query.dataprovider.store;

import dev.athanor.query.common.jdbc.Trash;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.tfevents.compat.LegacySummaries;
import java.util.List;

/** {@link ExperimentSeriesStore} over the index tables. */
public final class PgExperimentSeriesStore implements ExperimentSeriesStore {

    private final Jdbc jdbc;

    public PgExperimentSeriesStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<RunStart> runs(long experimentId) {
        return jdbc.list(SqlFragment.builder().sql("SELECT r.id, r.path, extract(epoch FROM r.started_at)::float8 AS start_time"
                + " FROM run r WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ").param(experimentId)
                .sql(" ORDER BY r.started_at NULLS LAST, natural_sort_key(r.path), r.path").build(),
                rs -> new RunStart(rs.getLong(1), rs.getString(2), Jdbc.getDouble(rs, "start_time")));
    }

    @Override
    public List<String> plugins(long experimentId) {
        // A series row is written with its first point, so every series here has data.
        return jdbc.list(SqlFragment.builder().sql("SELECT s.plugin FROM series s JOIN run r ON r.id = s.run_id"
                + " WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ").param(experimentId)
                .sql(" UNION SELECT 'hparams' FROM run r WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ").param(experimentId)
                .sql(" AND " + HAS_HPARAMS + " ORDER BY 1").build(), rs -> rs.getString(1));
    }

    /** A run that logged hparams records: its values, a definition or a session end. */
    private static final String HAS_HPARAMS =
            "(r.hparams <> '{}'::jsonb OR r.hparams_config IS NOT NULL OR r.session_status IS NOT NULL)";

    @Override
    public List<RunHparams> hparamsRuns(long experimentId) {
        return jdbc.list(SqlFragment.builder().sql("SELECT r.id, r.path, r.hparams::text, r.hparams_config::text,"
                + " r.session_group, r.session_status, extract(epoch FROM r.started_at)::float8 AS start_time,"
                + " extract(epoch FROM r.ended_at)::float8 AS end_time, r.session_start_secs, r.session_end_secs,"
                + " r.session_model_uri, r.session_monitor_url FROM run r WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ")
                .param(experimentId).sql(" AND " + HAS_HPARAMS + " ORDER BY natural_sort_key(r.path), r.path").build(),
                rs -> new RunHparams(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), Jdbc.getDouble(rs, "start_time"), Jdbc.getDouble(rs, "end_time"),
                        new RunHparams.SessionInfo(Jdbc.getDouble(rs, "session_start_secs"),
                                Jdbc.getDouble(rs, "session_end_secs"), rs.getString("session_model_uri"),
                                rs.getString("session_monitor_url"))));
    }

    @Override
    public List<SeriesSummary> series(SeriesQuery query) {
        if ((query.runs() != null && query.runs().isEmpty()) || (query.tags() != null && query.tags().isEmpty())) {
            return List.of();   // a filter naming nothing selects nothing
        }
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id, r.path, s.id, s.tag, s.metadata,"
                + " s.from_legacy_value, p.max_step, p.max_wall_time, p.max_length FROM series s JOIN run r ON r.id = s.run_id"
                + " CROSS JOIN LATERAL (" + extremes(query.dataClass()) + ") p(max_step, max_wall_time, max_length)"
                + " WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ").param(query.experimentId())
                .sql(" AND s.data_class = ").param(query.dataClass())
                .sql(" AND s.plugin = ").param(query.plugin())
                .sql(" AND p.max_step IS NOT NULL");
        if (query.runs() != null) {
            sql.sql(" AND r.path = ANY(").param(List.copyOf(query.runs())).sql(")");
        }
        if (query.tags() != null) {
            sql.sql(" AND s.tag = ANY(").param(List.copyOf(query.tags())).sql(")");
        }
        sql.sql(" ORDER BY natural_sort_key(r.path), r.path, s.tag");
        return jdbc.list(sql.build(), rs -> new SeriesSummary(rs.getLong(1), rs.getString(2), rs.getLong(3),
                rs.getString(4), asDataServerShows(rs.getBytes(5), rs.getBoolean(6)), rs.getLong(7), rs.getDouble(8),
                rs.getLong(9)));
    }

    /** The stored metadata as TensorBoard's data server would serve it (see {@link LegacySummaries#asDataServerShows}). */
    private static byte[] asDataServerShows(byte[] metadata, boolean fromLegacyValue) {
        if (!fromLegacyValue || metadata == null) {
            return metadata;
        }
        try {
            return LegacySummaries.asDataServerShows(SummaryMetadata.parseFrom(metadata)).toByteArray();
        } catch (InvalidProtocolBufferException e) {
            return metadata;  // ingest wrote it from a parsed message: served as stored, as any other series
        }
    }

    /** Largest step, wall time and (blob sequences) length of series {@code s}, from its point table. */
    private static String extremes(int dataClass) {
        return switch (dataClass) {
            case SeriesQuery.SCALAR -> "SELECT max(c.last_step), max(c.last_wall_time), 0::bigint"
                    + " FROM scalar_chunk c WHERE c.series_id = s.id";
            case SeriesQuery.TENSOR -> "SELECT max(t.step), max(t.wall_time), 0::bigint"
                    + " FROM tensor_point t WHERE t.series_id = s.id";
            case SeriesQuery.BLOB_SEQUENCE -> "SELECT max(b.step), max(b.wall_time), max(b.blob_count)::bigint"
                    + " FROM blob_sequence_point b WHERE b.series_id = s.id";
            default -> throw new IllegalArgumentException("no point table for data class " + dataClass);
        };
    }
}
