package dev.athanor.query.common.jdbc;

import java.sql.SQLException;

/** An unchecked wrapper for SQL errors; the error mappers look through it at the SQLState. */
public final class DataAccessException extends RuntimeException {

    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }
}
