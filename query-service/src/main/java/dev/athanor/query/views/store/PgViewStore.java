package dev.athanor.query.views.store;

import dev.athanor.query.common.error.ConflictException;
import dev.athanor.query.common.jdbc.DataAccessException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link ViewStore} over saved_view. */
public final class PgViewStore implements ViewStore {

    /** PostgreSQL: unique_violation. */
    private static final String SQLSTATE_UNIQUE = "23505";
    private static final String COLUMNS = "id, experiment_id, name, state::text AS state, created_by, created_at,"
            + " updated_by, updated_at";

    private final Jdbc jdbc;

    public PgViewStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<SavedView> list(long experimentId) {
        return jdbc.list(SqlFragment.builder().sql("SELECT " + COLUMNS + " FROM saved_view WHERE experiment_id = ")
                .param(experimentId).sql(" ORDER BY lower(name), id").build(), PgViewStore::view);
    }

    @Override
    public Optional<SavedView> get(long experimentId, long viewId) {
        return jdbc.one(SqlFragment.builder().sql("SELECT " + COLUMNS + " FROM saved_view WHERE experiment_id = ")
                .param(experimentId).sql(" AND id = ").param(viewId).build(), PgViewStore::view);
    }

    @Override
    public SavedView create(long experimentId, String name, String stateJson, String by) {
        return unique(name, () -> jdbc.one(SqlFragment.builder()
                .sql("INSERT INTO saved_view (experiment_id, name, state, created_by, updated_by) VALUES (")
                .param(experimentId).sql(", ").param(name).sql(", ").param(stateJson).sql("::jsonb, ").param(by)
                .sql(", ").param(by).sql(") RETURNING " + COLUMNS).build(), PgViewStore::view).orElseThrow());
    }

    @Override
    public Optional<SavedView> update(long experimentId, long viewId, String name, String stateJson, String by) {
        SqlFragment.Builder sql = SqlFragment.builder().sql("UPDATE saved_view SET updated_by = ").param(by)
                .sql(", updated_at = now()");
        if (name != null) {
            sql.sql(", name = ").param(name);
        }
        if (stateJson != null) {
            sql.sql(", state = ").param(stateJson).sql("::jsonb");
        }
        sql.sql(" WHERE experiment_id = ").param(experimentId).sql(" AND id = ").param(viewId).sql(" RETURNING " + COLUMNS);
        return unique(name, () -> jdbc.one(sql.build(), PgViewStore::view));
    }

    @Override
    public boolean delete(long experimentId, long viewId) {
        return !jdbc.list(SqlFragment.builder().sql("DELETE FROM saved_view WHERE experiment_id = ").param(experimentId)
                .sql(" AND id = ").param(viewId).sql(" RETURNING id").build(), rs -> rs.getLong(1)).isEmpty();
    }

    private static <T> T unique(String name, Supplier<T> write) {
        try {
            return write.get();
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && SQLSTATE_UNIQUE.equals(sql.getSQLState())) {
                throw new ConflictException("body.name", "a view named '" + name + "' already exists in this"
                        + " experiment: choose another name, or PUT that view to change it");
            }
            throw e;
        }
    }

    private static SavedView view(ResultSet rs) throws SQLException {
        return new SavedView(rs.getLong("id"), rs.getLong("experiment_id"), rs.getString("name"), rs.getString("state"),
                rs.getString("created_by"), Jdbc.getInstant(rs, "created_at"), rs.getString("updated_by"),
                Jdbc.getInstant(rs, "updated_at"));
    }
}
