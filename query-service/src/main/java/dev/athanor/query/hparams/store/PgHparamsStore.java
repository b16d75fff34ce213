package dev.athanor.query.hparams.store;

import dev.athanor.query.common.jdbc.Trash;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.querylang.ast.SortKey;
import dev.athanor.query.querylang.sql.FilterCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link HparamsStore} over run.hparams (typed jsonb) and the series of sessions and their sub-runs. */
public final class PgHparamsStore implements HparamsStore {

    private static final int MAX_VALUES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbc jdbc;

    public PgHparamsStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private record TypeCount(String name, String type, long count, Double min, Double max) {
    }

    @Override
    public List<HparamColumn> hparams(long experimentId) {
        List<TypeCount> rows = jdbc.list(SqlFragment.builder().sql("""
                SELECT kv.key, jsonb_typeof(kv.value) AS type, count(*) AS n,
                       min(CASE WHEN jsonb_typeof(kv.value) = 'number' THEN (kv.value #>> '{}')::float8 END) AS min,
                       max(CASE WHEN jsonb_typeof(kv.value) = 'number' THEN (kv.value #>> '{}')::float8 END) AS max
                FROM run r CROSS JOIN LATERAL jsonb_each(r.hparams) kv
                WHERE r.experiment_id = """).param(experimentId)
                .sql(" AND " + Trash.runVisible("r") + " GROUP BY kv.key, jsonb_typeof(kv.value) ORDER BY kv.key").build(),
                rs -> new TypeCount(rs.getString(1), rs.getString(2), rs.getLong(3), Jdbc.getDouble(rs, "min"),
                        Jdbc.getDouble(rs, "max")));
        Map<String, List<Object>> values = new TreeMap<>();
        jdbc.list(SqlFragment.builder().sql("""
                SELECT kv.key, kv.value::text FROM run r CROSS JOIN LATERAL jsonb_each(r.hparams) kv
                WHERE r.experiment_id = """).param(experimentId)
                .sql(" AND " + Trash.runVisible("r") + " AND jsonb_typeof(kv.value) IN ('string', 'boolean') GROUP BY 1, 2 ORDER BY 1, 2").build(), rs -> {
                    List<Object> list = values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (list.size() < MAX_VALUES) {
                        list.add(parse(rs.getString(2)));
                    }
                    return null;
                });
        Map<String, List<TypeCount>> byName = new LinkedHashMap<>();
        rows.forEach(r -> byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r));
        List<HparamColumn> out = new ArrayList<>();
        byName.forEach((name, types) -> {
            Set<String> kinds = new TreeSet<>();
            long sessions = 0;
            Double min = null;
            Double max = null;
            for (TypeCount t : types) {
                kinds.add(t.type().equals("boolean") ? "bool" : t.type());
                sessions += t.count();
                if (t.min() != null) {
                    min = t.min();
                    max = t.max();
                }
            }
            String type = kinds.size() == 1 ? kinds.iterator().next() : "mixed";
            out.add(new HparamColumn(name, type, sessions, min, max, values.get(name)));
        });
        return out;
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    @Override
    public List<MetricColumn> metrics(long experimentId, int limit) {
        return jdbc.list(SqlFragment.builder().sql("""
                SELECT DISTINCT CASE WHEN r2.id = r.id THEN '' ELSE substr(r2.path, length(r.path) + 2) END AS grp, s.tag
                FROM run r
                JOIN run r2 ON r2.experiment_id = r.experiment_id
                     AND (r2.id = r.id OR (r.path <> '.' AND left(r2.path, length(r.path) + 1) = r.path || '/'))
                JOIN series s ON s.run_id = r2.id AND s.data_class = 1
                WHERE r.experiment_id = """).param(experimentId)
                .sql(" AND " + Trash.runVisible("r") + " AND " + Trash.runVisible("r2")
                        + " AND r.hparams <> '{}'::jsonb AND left(s.tag, 9) <> '_hparams_' ORDER BY 1, 2 LIMIT ").param(limit)
                .build(), rs -> MetricColumn.of(rs.getString(1), rs.getString(2)));
    }

    @Override
    public String config(long experimentId) {
        Optional<String> config = jdbc.one(SqlFragment.builder().sql("SELECT hparams_config::text FROM run"
                + " WHERE experiment_id = ").param(experimentId)
                .sql(" AND trashed_at IS NULL AND hparams_config IS NOT NULL ORDER BY (path = '.') DESC, path LIMIT 1").build(), rs -> rs.getString(1));
        return config.orElse(null);
    }

    @Override
    public Page<Session> sessions(HparamsQuery query, PageRequest page) {
        FilterCompiler compiler = new FilterCompiler("filter", new SessionMetricSeries(query.metrics()));
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id, r.path, r.session_group, r.status,"
                + " r.session_status, r.started_at, r.hparams::text AS hparams");
        for (int i = 0; i < query.metrics().size(); i++) {
            sql.sql(", (SELECT s.last_value FROM series s WHERE ").append(SessionMetricSeries.of(query.metrics().get(i)))
                    .sql(") AS m" + i);
        }
        sql.sql(", count(*) OVER () AS total FROM run r WHERE r.experiment_id = ").param(query.experimentId())
                .sql(" AND r.hparams <> '{}'::jsonb AND " + Trash.runVisible("r"));
        if (query.filter() != null) {
            sql.sql(" AND ").append(compiler.predicate(query.filter()));
        }
        sql.sql(" ORDER BY ");
        for (SortKey key : query.sort()) {
            sql.append(compiler.value(key.operand())).sql(key.descending() ? " DESC NULLS LAST, " : " ASC NULLS LAST, ");
        }
        sql.sql("r.path, r.id OFFSET ").param(page.offset()).sql(" LIMIT ").param(page.limit());
        long[] total = {0};
        List<Session> sessions = jdbc.list(sql.build(), rs -> {
            total[0] = rs.getLong("total");
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < query.metrics().size(); i++) {
                metrics.put(query.metrics().get(i).key(), Jdbc.getDouble(rs, "m" + i));
            }
            return new Session(rs.getLong("id"), rs.getString("path"), rs.getString("session_group"),
                    rs.getString("status"), rs.getString("session_status"), Jdbc.getInstant(rs, "started_at"),
                    rs.getString("hparams"), metrics);
        });
        if (sessions.isEmpty() && page.offset() > 0) {
            total[0] = sessions(query, new PageRequest(0, 1)).total();
        }
        return Page.of(sessions, page, total[0]);
    }
}
