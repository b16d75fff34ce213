package dev.athanor.query.common.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL and the values of its {@code ?} placeholders, in order. Values never become
 * part of the text: they are always bound as parameters.
 */
public record SqlFragment(String sql, List<Object> params) {

    public SqlFragment {
        params = List.copyOf(params);
    }

    public static SqlFragment of(String sql, Object... params) {
        return new SqlFragment(sql, List.of(params));
    }

    /** Builds SQL text and its parameters together, so they cannot drift apart. */
    public static final class Builder {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> params = new ArrayList<>();

        public Builder sql(String text) {
            sql.append(text);
            return this;
        }

        /** Appends one placeholder ({@code ?} or {@code ?::type}) and its value. */
        public Builder param(String placeholder, Object value) {
            sql.append(placeholder);
            params.add(value);
            return this;
        }

        public Builder param(Object value) {
            return param("?", value);
        }

        /** As {@link #param(String, Object)}, or a typed SQL NULL when the value is null (parameters are never null). */
        public Builder nullable(String placeholder, Object value) {
            if (value != null) {
                return param(placeholder, value);
            }
            sql.append(placeholder.replace("?", "NULL"));
            return this;
        }

        public Builder append(SqlFragment fragment) {
            sql.append(fragment.sql());
            params.addAll(fragment.params());
            return this;
        }

        public boolean isEmpty() {
            return sql.isEmpty();
        }

        public SqlFragment build() {
            return new SqlFragment(sql.toString(), params);
        }
    }

    public static Builder builder() {
        return new Builder();
    }
}
