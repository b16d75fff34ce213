package dev.athanor.query.experiments.store;

import dev.athanor.query.common.jdbc.Trash;
import dev.athanor.query.common.jdbc.ProjectFilter;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link ExperimentStore} over the PostgreSQL index. */
public final class PgExperimentStore implements ExperimentStore {

    private static final String SELECT = """
            SELECT e.id, p.name AS project, e.name, e.description, e.created_at, e.updated_at,
                   (SELECT count(*) FROM run r WHERE r.experiment_id = e.id AND r.trashed_at IS NULL) AS run_count,
                   count(*) OVER () AS total
            FROM experiment e JOIN project p ON p.id = e.project_id
            """;

    private final Jdbc jdbc;

    public PgExperimentStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Page<Experiment> list(ExperimentQuery query, PageRequest page) {
        SqlFragment.Builder sql = SqlFragment.builder().sql(SELECT).sql(" WHERE " + Trash.experimentVisible("e"));
        if (query.project() != null) {
            sql.sql(" AND p.name = ").param(query.project());
        }
        if (query.projects() != null) {
            ProjectFilter.append(sql, "p.name", query.projects());
        }
        if (query.name() != null) {
            sql.sql(" AND e.name = ").param(query.name());
        }
        if (query.search() != null) {
            sql.sql(" AND strpos(lower(e.name), lower(").param(query.search()).sql(")) > 0");
        }
        String column = switch (query.sort()) {
            case NAME -> "e.name";
            case CREATED -> "e.created_at";
            case UPDATED -> "e.updated_at";
            case ID -> "e.id";
        };
        String direction = query.descending() ? " DESC" : " ASC";
        sql.sql(" ORDER BY " + column + direction + ", e.id" + direction)
                .sql(" OFFSET ").param(page.offset()).sql(" LIMIT ").param(page.limit());
        long[] total = {0};
        List<Experiment> items = jdbc.list(sql.build(), rs -> {
            total[0] = rs.getLong("total");
            return map(rs);
        });
        if (items.isEmpty() && page.offset() > 0) {
            total[0] = count(query);
        }
        return Page.of(items, page, total[0]);
    }

    private long count(ExperimentQuery query) {
        // Past the last page the window count is not available; count separately.
        Page<Experiment> first = list(query, new PageRequest(0, 1));
        return first.total();
    }

    @Override
    public Optional<Experiment> find(long id) {
        return jdbc.one(SqlFragment.builder().sql(SELECT).sql(" WHERE " + Trash.experimentVisible("e") + " AND e.id = ").param(id).build(), PgExperimentStore::map);
    }

    @Override
    public Optional<String> projectOf(long id) {
        return jdbc.one(SqlFragment.builder().sql("SELECT p.name FROM experiment e JOIN project p ON p.id = e.project_id"
                + " WHERE " + Trash.experimentVisible("e") + " AND e.id = ").param(id).build(), rs -> rs.getString(1));
    }

    private static Experiment map(ResultSet rs) throws SQLException {
        return new Experiment(rs.getLong("id"), rs.getString("project"), rs.getString("name"),
                rs.getString("description"), Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"),
                rs.getLong("run_count"));
    }

    @Override
    public boolean updateDescription(long id, String description) {
        return jdbc.one(SqlFragment.builder().sql("UPDATE experiment SET description = ").param(description)
                .sql(", updated_at = now() WHERE id = ").param(id).sql(" RETURNING id").build(), rs -> rs.getLong(1))
                .isPresent();
    }
}
