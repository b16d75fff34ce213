package dev.athanor.query.runs.store;

import dev.athanor.query.common.jdbc.Trash;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.jdbc.DataAccessException;
import dev.athanor.query.common.jdbc.ProjectFilter;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.RunAttribute;
import dev.athanor.query.querylang.ast.SortKey;
import dev.athanor.query.querylang.sql.FilterCompiler;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link RunStore} over the PostgreSQL index; filters are compiled by {@link FilterCompiler}. */
public final class PgRunStore implements RunStore {

    private static final String COLUMNS = """
            r.id, r.experiment_id, e.name AS experiment, r.path, r.status, r.started_at, r.last_event_at,
            r.ended_at, r.hparams::text AS hparams, r.session_group, r.session_status, r.display_name, r.labels, r.note,
            r.color, r.pinned""";

    private final Jdbc jdbc;

    public PgRunStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Two steps in one statement: the inner select computes only the sort keys of the matching runs
     * (after the cursor, if any), sorts and cuts the page plus one row (to know whether a next page
     * exists); the outer one reads the page's rows, extra columns and cursor keys. Projecting the wide
     * row and the extra columns below the sort cost them for every matching run (100,000 at scale),
     * not just the page's.
     *
     * <p>The total is a window count when the page sorts every match anyway (a sort given, no
     * cursor); otherwise a separate count, so that the default order can read its page from
     * run_experiment_natural_order_idx (V1_5_52) without sorting, and a cursor page does not count
     * only the rows after the cursor.
     */
    @Override
    public RunPage list(RunListQuery query, RunPaging paging) {
        FilterCompiler compiler = new FilterCompiler("filter");
        List<SortExpression> order = sortExpressions(query.sort(), compiler);
        String fingerprint = RunCursor.fingerprint(query);
        RunCursor cursor = paging.cursor();
        if (cursor != null) {
            check(cursor, fingerprint, order);
        }
        if (order.size() == 1 && order.getFirst().walkTag() != null) {
            return byMetricIndex(query, paging, compiler, order, fingerprint);
        }
        boolean windowCount = paging.count() && cursor == null && !query.sort().isEmpty();
        SqlFragment.Builder inner = SqlFragment.builder().sql("SELECT r.id")
                .sql(windowCount ? ", count(*) OVER () AS total" : "");
        for (int i = 0; i < order.size(); i++) {
            inner.sql(", ").append(order.get(i).value()).sql(" AS k" + i);
        }
        inner.sql(" FROM run r");
        for (SortExpression key : order) {
            if (key.join() != null) {
                inner.append(key.join());
            }
        }
        where(query, compiler, inner);
        if (cursor != null) {
            inner.sql(" AND ").append(seek(order, cursor, query.sort().isEmpty()));
        }
        inner.sql(" ORDER BY ").sql(orderByKeys(order, "")).sql(" OFFSET ").param(paging.offset()).sql(" LIMIT ")
                .param(paging.limit() + 1);
        List<Row> rows = rows(query, compiler, order, windowCount, inner.build());
        Long total = null;
        if (paging.count()) {
            total = windowCount && (!rows.isEmpty() || paging.offset() == 0)
                    ? (rows.isEmpty() ? 0 : rows.getFirst().total()) : count(query);
        }
        return page(rows, paging, fingerprint, total);
    }

    /**
     * A listing sorted by one metric's last value alone, read in the key's order from
     * series_tag_hash_value_run_idx (V1_5_58) when PostgreSQL finds that cheaper: first the runs that have
     * the value (an index walk by the tag's hash that tests the run filter per row and stops after the
     * page), then, only if the page is not full yet, the runs lacking it (no series, NaN or no value),
     * which sort last in both directions, by id. The same order as the general statement, which would
     * join the tag's series to every matching run and sort them all. The total is a separate count.
     */
    private RunPage byMetricIndex(RunListQuery query, RunPaging paging, FilterCompiler compiler,
            List<SortExpression> order, String fingerprint) {
        SortExpression key = order.getFirst();
        RunCursor cursor = paging.cursor();
        int want = paging.limit() + 1;
        List<Row> rows = new ArrayList<>();
        long missingOffset = paging.offset();
        if (cursor == null || cursor.keys().getFirst() != null) {
            SqlFragment.Builder present = SqlFragment.builder().sql("SELECT r.id, " + WALK_VALUE + " AS k0");
            presentRuns(query, compiler, key.walkTag(), present);
            if (cursor != null) {
                String value = cursor.keys().getFirst();
                String op = key.descending() ? " < " : " > ";
                present.sql(" AND " + WALK_VALUE + (key.descending() ? " <= " : " >= "))
                        .param(key.type().placeholder(), value).sql(" AND (" + WALK_VALUE + op)
                        .param(key.type().placeholder(), value).sql(" OR r.id > ").param(cursor.id()).sql(")");
            }
            present.sql(" ORDER BY k0" + (key.descending() ? " DESC" : " ASC") + ", r.id OFFSET ").param(paging.offset())
                    .sql(" LIMIT ").param(want);
            rows.addAll(rows(query, compiler, order, false, present.build()));
            if (rows.isEmpty() && paging.offset() > 0) {
                SqlFragment.Builder counted = SqlFragment.builder().sql("SELECT count(*)");
                presentRuns(query, compiler, key.walkTag(), counted);
                // Runs written meanwhile may have moved the step; an offset past the end is empty.
                missingOffset = Math.max(0, paging.offset() - jdbc.one(counted.build(), rs -> rs.getLong(1)).orElse(0L));
            } else {
                missingOffset = 0;
            }
        }
        if (rows.size() < want) {
            SqlFragment.Builder missing = SqlFragment.builder().sql("SELECT r.id, NULL::float8 AS k0 FROM run r");
            where(query, compiler, missing);
            missing.sql(" AND NOT EXISTS (SELECT 1 FROM series sk0 WHERE sk0.run_id = r.id AND ")
                    .append(tagSeries(key.walkTag())).sql(" AND " + WALK_VALUE + " IS NOT NULL)");
            if (cursor != null && cursor.keys().getFirst() == null) {
                missing.sql(" AND r.id > ").param(cursor.id());
            }
            missing.sql(" ORDER BY r.id OFFSET ").param(missingOffset).sql(" LIMIT ").param(want - rows.size());
            rows.addAll(rows(query, compiler, order, false, missing.build()));
        }
        return page(rows, paging, fingerprint, paging.count() ? count(query) : null);
    }

    /** The metric value an index walk reads: series_tag_hash_value_run_idx's second column (V1_5_58). */
    private static final String WALK_VALUE = "NULLIF(sk0.last_value, 'NaN'::float8)";

    /** FROM and WHERE of the matching runs that have a value of the tag (series aliased sk0). */
    private static void presentRuns(RunListQuery query, FilterCompiler compiler, String tag, SqlFragment.Builder sql) {
        sql.sql(" FROM series sk0 JOIN run r ON r.id = sk0.run_id");
        where(query, compiler, sql);
        sql.sql(" AND ").append(tagSeries(tag)).sql(" AND " + WALK_VALUE + " IS NOT NULL");
    }

    /** The series of one tag, aliased sk0: by its hash (the index's first column), then the tag itself. */
    private static SqlFragment tagSeries(String tag) {
        return SqlFragment.of("sk0.tag_hash = decode(md5(?::text), 'hex') AND sk0.tag = ?", tag, tag);
    }

    /**
     * Runs the outer select over an inner one that yields the page's run ids (r.id), its sort keys
     * (k0, k1, …) and, with a window count, the total: the page's wide rows, extra columns and cursor keys.
     */
    private List<Row> rows(RunListQuery query, FilterCompiler compiler, List<SortExpression> order, boolean windowCount,
            SqlFragment inner) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT " + COLUMNS);
        List<Operand> columns = query.columns();
        for (int i = 0; i < columns.size(); i++) {
            Operand column = columns.get(i);
            sql.sql(", ").append(compiler.value(column)).sql(column instanceof Operand.Hparam ? "::text" : "")
                    .sql(" AS v" + i);
        }
        for (int i = 0; i < order.size(); i++) {
            sql.sql(", " + order.get(i).type().text("p.k" + i) + " AS c" + i);
        }
        sql.sql(windowCount ? ", p.total" : "").sql(" FROM (").append(inner)
                .sql(") p JOIN run r ON r.id = p.id JOIN experiment e ON e.id = r.experiment_id ORDER BY ")
                .sql(orderByKeys(order, "p."));
        return jdbc.list(sql.build(), rs -> {
            Map<String, Object> values = null;
            if (!columns.isEmpty()) {
                values = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.put(columns.get(i).display(), columnValue(columns.get(i), rs, "v" + i));
                }
            }
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                keys.add(rs.getString("c" + i));
            }
            return new Row(map(rs, values), keys, windowCount ? rs.getLong("total") : 0);
        });
    }

    /** The page (at most the limit of the rows read, which are one more to tell whether more follow). */
    private static RunPage page(List<Row> rows, RunPaging paging, String fingerprint, Long total) {
        boolean more = rows.size() > paging.limit();
        List<Row> page = more ? rows.subList(0, paging.limit()) : rows;
        Row last = page.isEmpty() ? null : page.getLast();
        String next = more ? new RunCursor(fingerprint, last.keys(), last.run().id()).encode() : null;
        boolean byOffset = paging.cursor() == null;
        return new RunPage(page.stream().map(Row::run).toList(), byOffset ? paging.offset() : null, paging.limit(), total,
                byOffset && more ? paging.offset() + page.size() : null, next);
    }

    /** One listed run with its cursor keys and the window total (when counted there). */
    private record Row(Run run, List<String> keys, long total) {
    }

    private long count(RunListQuery query) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT count(*) FROM run r");
        where(query, new FilterCompiler("filter"), sql);
        return jdbc.one(sql.build(), rs -> rs.getLong(1)).orElse(0L);
    }

    /** A cursor of this listing, with a valid value for each of its sort keys. */
    private static void check(RunCursor cursor, String fingerprint, List<SortExpression> order) {
        if (!cursor.fingerprint().equals(fingerprint)) {
            throw RunCursor.bad("belongs to another listing (another experiment, filter or sort)");
        }
        if (cursor.keys().size() != order.size()) {
            throw RunCursor.bad("is not a cursor this service wrote (wrong number of keys)");
        }
        for (int i = 0; i < order.size(); i++) {
            if (!order.get(i).type().accepts(cursor.keys().get(i))) {
                throw RunCursor.bad("is not a cursor this service wrote (key " + (i + 1) + " is not a "
                        + order.get(i).type().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
    }

    /**
     * The runs after the cursor in the listing's order. The default order (every key present,
     * ascending) is one row comparison, which run_experiment_natural_order_idx (V1_5_52) serves as
     * an index condition. A given sort may mix directions and has missing values sorting last in
     * both, which a row comparison cannot say: it is spelled out key by key (equal on the keys before,
     * after the cursor on this one), a missing cursor value having nothing after it on its key.
     */
    private static SqlFragment seek(List<SortExpression> order, RunCursor cursor, boolean rowComparison) {
        SqlFragment.Builder b = SqlFragment.builder().sql("(");
        if (rowComparison) {
            for (SortExpression key : order) {
                b.append(key.value()).sql(", ");
            }
            b.sql("r.id) > (");
            for (int i = 0; i < order.size(); i++) {
                b.param(order.get(i).type().placeholder(), cursor.keys().get(i)).sql(", ");
            }
            return b.param(cursor.id()).sql(")").build();
        }
        boolean first = true;
        for (int i = 0; i <= order.size(); i++) {
            if (i < order.size() && cursor.keys().get(i) == null) {
                continue;
            }
            b.sql(first ? "(" : " OR (");
            first = false;
            for (int j = 0; j < i; j++) {
                SortExpression key = order.get(j);
                String value = cursor.keys().get(j);
                if (value == null) {
                    b.append(key.value()).sql(" IS NULL AND ");
                } else {
                    b.append(key.value()).sql(" = ").param(key.type().placeholder(), value).sql(" AND ");
                }
            }
            if (i == order.size()) {
                b.sql("r.id > ").param(cursor.id());
            } else {
                SortExpression key = order.get(i);
                b.sql("(").append(key.value()).sql(key.descending() ? " < " : " > ")
                        .param(key.type().placeholder(), cursor.keys().get(i)).sql(" OR ").append(key.value())
                        .sql(" IS NULL)");
            }
            b.sql(")");
        }
        return b.sql(")").build();
    }

    @Override
    public Optional<Run> find(long id) {
        return jdbc.one(SqlFragment.builder().sql("SELECT " + COLUMNS + " FROM run r JOIN experiment e ON e.id = r.experiment_id"
                + " WHERE " + Trash.runVisible("r") + " AND r.id = ").param(id).build(), rs -> map(rs, null));
    }

    @Override
    public List<RunRef> select(RunListQuery query, int limit) {
        FilterCompiler compiler = new FilterCompiler("filter");
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id, r.experiment_id, r.path FROM run r");
        where(query, compiler, sql);
        sql.sql(" ORDER BY r.experiment_id, natural_sort_key(r.path), r.path LIMIT ").param(limit);
        return jdbc.list(sql.build(), rs -> new RunRef(rs.getLong(1), rs.getLong(2), rs.getString(3)));
    }

    private static void where(RunListQuery query, FilterCompiler compiler, SqlFragment.Builder sql) {
        sql.sql(" WHERE " + Trash.runVisible("r"));
        if (query.experimentId() != null) {
            sql.sql(" AND r.experiment_id = ").param(query.experimentId());
        }
        if (query.runIds() != null) {
            sql.sql(" AND r.id = ANY(").param(query.runIds()).sql(")");
        }
        if (query.projects() != null) {
            sql.sql(" AND r.experiment_id IN (SELECT pe.id FROM experiment pe JOIN project pp ON pp.id = pe.project_id"
                    + " WHERE true");
            ProjectFilter.append(sql, "pp.name", query.projects());
            sql.sql(")");
        }
        if (query.filter() != null) {
            sql.sql(" AND ").append(compiler.predicate(query.filter()));
        }
    }

    /**
     * One sort key: its value (selected as k0, k1, … in the inner select), its direction (missing
     * values last either way), the join it reads from (or null), its type in a cursor, and the tag
     * whose last value it is (null for any other key): alone, such a key may be read from its index.
     */
    private record SortExpression(SqlFragment value, boolean descending, SqlFragment join, CursorKey type,
            String walkTag) {

        String direction() {
            return descending ? " DESC NULLS LAST" : " ASC NULLS LAST";
        }
    }

    /** The requested sort keys, or by experiment then path naturally; the run id always breaks ties. */
    private static List<SortExpression> sortExpressions(List<SortKey> sort, FilterCompiler compiler) {
        List<SortExpression> order = new ArrayList<>();
        if (sort.isEmpty()) {
            order.add(new SortExpression(SqlFragment.of("r.experiment_id"), false, null, CursorKey.BIGINT, null));
            order.add(new SortExpression(SqlFragment.of("natural_sort_key(r.path)"), false, null, CursorKey.TEXT, null));
            order.add(new SortExpression(SqlFragment.of("r.path"), false, null, CursorKey.TEXT, null));
            return order;
        }
        for (SortKey key : sort) {
            String rollup = key.operand() instanceof Operand.Metric m
                    ? FilterCompiler.rollupValue(m.aggregate().kind(), "sk" + order.size()) : null;
            if (rollup != null) {
                // A join rather than a subquery per run: PostgreSQL may then hash the tag's series
                // (found through series_tag_hash_value_run_idx by the tag's hash, V1_5_58) instead of
                // probing the series once per matching run.
                String alias = "sk" + order.size();
                String tag = ((Operand.Metric) key.operand()).tag();
                SqlFragment join = SqlFragment.of(" LEFT JOIN series " + alias + " ON " + alias + ".run_id = r.id AND "
                        + alias + ".tag_hash = decode(md5(?::text), 'hex') AND " + alias + ".tag = ?", tag, tag);
                order.add(new SortExpression(SqlFragment.of(rollup), key.descending(), join, cursorKey(key.operand()),
                        ((Operand.Metric) key.operand()).aggregate().kind() == Aggregate.Kind.LAST ? tag : null));
            } else {
                order.add(new SortExpression(naturally(key.operand(), compiler.value(key.operand())), key.descending(), null,
                        cursorKey(key.operand()), null));
            }
        }
        return order;
    }

    private static CursorKey cursorKey(Operand operand) {
        return switch (operand) {
            case Operand.Metric m -> m.aggregate().kind() == Aggregate.Kind.COUNT ? CursorKey.BIGINT : CursorKey.FLOAT8;
            case Operand.Hparam ignored -> CursorKey.JSONB;
            case Operand.Attribute a -> switch (a.attribute().kind()) {
                case INTEGER -> CursorKey.BIGINT;
                case TEXT, STATUS, LABELS -> CursorKey.TEXT;
                case TIME -> CursorKey.TIMESTAMPTZ;
                case BOOL -> CursorKey.BOOLEAN;
            };
        };
    }

    /** ORDER BY over the selected keys k0, k1, … (qualified by {@code prefix}), then the run id. */
    private static String orderByKeys(List<SortExpression> order, String prefix) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < order.size(); i++) {
            sql.append(prefix).append('k').append(i).append(order.get(i).direction()).append(", ");
        }
        return sql.append(prefix.isEmpty() ? "r.id" : prefix + "id").toString();
    }

    /** Names sort naturally ('seed0_lr2' before 'seed0_lr10'): by natural_sort_key (V1_5_2). */
    private static SqlFragment naturally(Operand operand, SqlFragment value) {
        if (operand instanceof Operand.Attribute a && a.attribute().kind() == RunAttribute.Kind.TEXT) {
            return SqlFragment.builder().sql("natural_sort_key(").append(value).sql(")").build();
        }
        return value;
    }

    private static Object columnValue(Operand column, ResultSet rs, String name) throws SQLException {
        Object value = rs.getObject(name);
        if (value == null) {
            return null;
        }
        return switch (column) {
            case Operand.Hparam ignored -> new RawValue((String) value);
            case Operand.Metric m -> m.aggregate().kind() == Aggregate.Kind.COUNT
                    ? (Object) ((Number) value).longValue() : (Object) ((Number) value).doubleValue();
            case Operand.Attribute ignored -> value instanceof Timestamp t ? t.toInstant() : value;
        };
    }

    private static Run map(ResultSet rs, Map<String, Object> values) throws SQLException {
        return new Run(rs.getLong("id"), rs.getLong("experiment_id"), rs.getString("experiment"), rs.getString("path"),
                rs.getString("status"), Jdbc.getInstant(rs, "started_at"), Jdbc.getInstant(rs, "last_event_at"),
                Jdbc.getInstant(rs, "ended_at"), rs.getString("hparams"), rs.getString("session_group"),
                rs.getString("session_status"), rs.getString("display_name"), labels(rs), rs.getString("note"),
                rs.getString("color"), rs.getBoolean("pinned"), values);
    }

    private static List<String> labels(ResultSet rs) throws SQLException {
        java.sql.Array array = rs.getArray("labels");
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    @Override
    public Map<Long, String> groupKeys(java.util.Collection<Long> runIds, RunGrouping by, String where) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("SELECT r.id, ");
        switch (by) {
            case RunGrouping.Hparam h -> sql.sql("NULLIF(r.hparams -> ").param("?::text", h.name()).sql(", 'null'::jsonb)");
            case RunGrouping.Label l when l.name() != null -> sql.sql("CASE WHEN ").param("?::text", l.name())
                    .sql(" = ANY(r.labels) THEN to_jsonb(").param("?::text", l.name()).sql(") END");
            case RunGrouping.Label l -> sql.sql("CASE WHEN cardinality(r.labels) > 0 THEN to_jsonb(array_to_string("
                    + "ARRAY(SELECT DISTINCT x.l FROM unnest(r.labels) AS x(l) ORDER BY x.l), ',')) END");
            case RunGrouping.Regex re -> sql.sql("to_jsonb((regexp_match(r.path, ").param("?::text", re.pattern())
                    .sql("))[1])");
            case RunGrouping.Attribute a -> sql.sql(a.attribute() == RunAttribute.STATUS ? "to_jsonb(lower(r.status))"
                    : "to_jsonb(" + FilterCompiler.attributeColumn(a.attribute()) + ")");
        }
        sql.sql("::text FROM run r WHERE " + Trash.runVisible("r") + " AND r.id = ANY(").param(List.copyOf(runIds)).sql(")");
        Map<Long, String> keys = new LinkedHashMap<>();
        try {
            jdbc.list(sql.build(), rs -> keys.put(rs.getLong(1), rs.getString(2)));
        } catch (DataAccessException e) {
            if ("2201B".equals(e.sqlException().getSQLState())) {
                throw new BadInputException(where, "invalid regular expression: " + e.sqlException().getMessage()
                        .lines().findFirst().orElse(""));
            }
            throw e;
        }
        return keys;
    }

    /** The columns a metadata update may set; names never come from the request. */
    private static final List<String> METADATA_COLUMNS = List.of("display_name", "labels", "note", "color", "pinned");

    @Override
    public java.util.Optional<RunMetadata> updateMetadata(long runId, Map<String, Object> columns) {
        if (!METADATA_COLUMNS.containsAll(columns.keySet())) {
            throw new IllegalArgumentException("not metadata columns: " + columns.keySet());
        }
        SqlFragment.Builder sql = SqlFragment.builder().sql("UPDATE run SET meta_updated_at = now()");
        // The old values come from a FOR UPDATE read of the row in the same statement: it waits for a
        // concurrent edit to commit and then sees its result, so audit rows chain old → new correctly.
        for (String column : METADATA_COLUMNS) {
            if (!columns.containsKey(column)) {
                continue;
            }
            Object value = columns.get(column);
            sql.sql(", " + column + " = ");
            if (column.equals("labels")) {
                List<?> labels = (List<?>) value;
                if (labels.isEmpty()) {
                    sql.sql("'{}'::text[]");
                } else {
                    sql.param("?::text[]", List.copyOf(labels));
                }
            } else if (value == null) {
                sql.sql("NULL");
            } else {
                sql.param(column.equals("pinned") ? "?::boolean" : "?::text", value);
            }
        }
        sql.sql(" FROM (SELECT id, display_name, labels, note, color, pinned FROM run WHERE id = ").param(runId)
                .sql(" FOR UPDATE) old WHERE run.id = old.id RETURNING old.display_name, old.labels, old.note, old.color,"
                        + " old.pinned");
        return jdbc.one(sql.build(), rs -> new RunMetadata(rs.getString("display_name"), labels(rs), rs.getString("note"),
                rs.getString("color"), rs.getBoolean("pinned")));
    }

    @Override
    public Map<String, List<TagInfo>> tags(long runId) {
        SqlFragment sql = SqlFragment.builder().sql("""
                SELECT s.tag, s.plugin, s.data_class, s.metadata,
                       CASE s.data_class
                           WHEN 2 THEN (SELECT count(*) FROM tensor_point t WHERE t.series_id = s.id)
                           WHEN 3 THEN (SELECT count(*) FROM blob_sequence_point b WHERE b.series_id = s.id)
                           ELSE s.point_count END AS points,
                       CASE s.data_class
                           WHEN 2 THEN (SELECT min(step) FROM tensor_point t WHERE t.series_id = s.id)
                           WHEN 3 THEN (SELECT min(step) FROM blob_sequence_point b WHERE b.series_id = s.id)
                           ELSE s.first_step END AS first_step,
                       CASE s.data_class
                           WHEN 2 THEN (SELECT max(step) FROM tensor_point t WHERE t.series_id = s.id)
                           WHEN 3 THEN (SELECT max(step) FROM blob_sequence_point b WHERE b.series_id = s.id)
                           ELSE s.last_step END AS last_step
                FROM series s WHERE s.run_id = """).param(runId).sql(" ORDER BY s.plugin, s.tag").build();
        Map<String, List<TagInfo>> byPlugin = new TreeMap<>();
        for (TagInfo tag : jdbc.list(sql, PgRunStore::tagInfo)) {
            byPlugin.computeIfAbsent(tag.plugin(), p -> new ArrayList<>()).add(tag);
        }
        return byPlugin;
    }

    private static TagInfo tagInfo(ResultSet rs) throws SQLException {
        String displayName = null;
        String description = null;
        byte[] metadata = rs.getBytes("metadata");
        if (metadata != null) {
            try {
                SummaryMetadata parsed = SummaryMetadata.parseFrom(metadata);
                displayName = parsed.getDisplayName().isEmpty() ? null : parsed.getDisplayName();
                description = parsed.getSummaryDescription().isEmpty() ? null : parsed.getSummaryDescription();
            } catch (InvalidProtocolBufferException e) {
                // The tag is still listed; its metadata is just not shown.
            }
        }
        return new TagInfo(rs.getString("tag"), rs.getString("plugin"), dataClassName(rs.getInt("data_class")),
                rs.getLong("points"), Jdbc.getLong(rs, "first_step"), Jdbc.getLong(rs, "last_step"), displayName,
                description);
    }

    public static String dataClassName(int dataClass) {
        return switch (dataClass) {
            case 1 -> "scalar";
            case 2 -> "tensor";
            case 3 -> "blob_sequence";
            default -> "unknown";
        };
    }

    @Override
    public Map<String, Map<String, List<Long>>> experimentTags(long experimentId) {
        SqlFragment sql = SqlFragment.builder().sql("SELECT s.plugin, s.tag, array_agg(s.run_id ORDER BY r.path) AS runs"
                + " FROM series s JOIN run r ON r.id = s.run_id WHERE " + Trash.runVisible("r") + " AND r.experiment_id = ")
                .param(experimentId)
                .sql(" GROUP BY s.plugin, s.tag ORDER BY s.plugin, s.tag").build();
        Map<String, Map<String, List<Long>>> result = new TreeMap<>();
        jdbc.list(sql, rs -> {
            Long[] runs = (Long[]) rs.getArray("runs").getArray();
            result.computeIfAbsent(rs.getString("plugin"), p -> new TreeMap<>()).put(rs.getString("tag"), List.of(runs));
            return null;
        });
        return result;
    }
}
