package dev.athanor.query.common.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Thin read helpers over a DataSource: parameter binding by Java type and a statement timeout on
 * every query. Plain JDBC on purpose: reads here are hand-written SQL over arrays and jsonb.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final int timeoutSeconds;

    public Jdbc(DataSource dataSource, Duration statementTimeout) {
        this.dataSource = dataSource;
        this.timeoutSeconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, statementTimeout.toSeconds()));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public <T> List<T> list(SqlFragment query, RowMapper<T> mapper) {
        return withConnection(c -> list(c, query, mapper));
    }

    public <T> Optional<T> one(SqlFragment query, RowMapper<T> mapper) {
        List<T> rows = list(query, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public <T> List<T> list(Connection connection, SqlFragment query, RowMapper<T> mapper) throws SQLException {
        return list(connection, query, mapper, false);
    }

    /**
     * As {@link #list(Connection, SqlFragment, RowMapper)}, with the results in PostgreSQL's binary
     * format from the first execution. pgjdbc asks for text until one connection has run a
     * statement {@code prepareThreshold} times, and a bytea in text is hex: twice the bytes,
     * encoded by the server and decoded here. For reads that move large bytea values.
     */
    public <T> List<T> listBinary(Connection connection, SqlFragment query, RowMapper<T> mapper) throws SQLException {
        return list(connection, query, mapper, true);
    }

    private <T> List<T> list(Connection connection, SqlFragment query, RowMapper<T> mapper, boolean binary)
            throws SQLException {
        try (PreparedStatement ps = prepare(connection, query)) {
            if (binary) {
                // -1: prepared on the server and read in binary at once (pgjdbc's forceBinary).
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    public PreparedStatement prepare(Connection connection, SqlFragment query) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(query.sql());
        try {
            ps.setQueryTimeout(timeoutSeconds);
            bind(connection, ps, query.params());
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    public <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /** Binds values by their Java type; collections become PostgreSQL arrays. */
    public static void bind(Connection connection, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            int index = i + 1;
            switch (value) {
                case null -> ps.setObject(index, null);
                case Long l -> ps.setLong(index, l);
                case Integer n -> ps.setInt(index, n);
                case Double d -> ps.setDouble(index, d);
                case String s -> ps.setString(index, s);
                case Boolean b -> ps.setBoolean(index, b);
                case Instant t -> ps.setTimestamp(index, Timestamp.from(t));
                case OffsetDateTime t -> ps.setObject(index, t);
                case long[] longs -> {
                    Long[] boxed = new Long[longs.length];
                    for (int k = 0; k < longs.length; k++) {
                        boxed[k] = longs[k];
                    }
                    ps.setArray(index, connection.createArrayOf("bigint", boxed));
                }
                case Collection<?> items when allOf(items, Long.class) ->
                        ps.setArray(index, connection.createArrayOf("bigint", items.toArray(new Long[0])));
                case Collection<?> items when allOf(items, String.class) ->
                        ps.setArray(index, connection.createArrayOf("text", items.toArray(new String[0])));
                default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
            }
        }
    }

    private static boolean allOf(Collection<?> items, Class<?> type) {
        for (Object item : items) {
            if (!type.isInstance(item)) {
                return false;
            }
        }
        return true;
    }

    /** Nullable getters: JDBC answers 0 for SQL NULL numbers. */
    public static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
