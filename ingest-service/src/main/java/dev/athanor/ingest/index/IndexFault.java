package dev.athanor.ingest.index;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What an index transaction's failure means: a transient fault (database down, restarting, out of
 * connections, a deadlock) is retried with backoff; a refusal of the data itself (a value or row
 * PostgreSQL cannot take) fails the same way on every retry, so its records are isolated instead.
 * The description is for logs: the SQLState and the server's primary message, never the statement
 * or its parameters (pgjdbc puts both in a batch failure's message).
 */
record IndexFault(boolean transientFault, String description) {

    private static final int MAX_DESCRIPTION = 200;

    static IndexFault of(Throwable failure) {
        SQLException sql = rootSqlException(failure);
        if (sql == null) {
            return new IndexFault(true, shorten(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
        String state = sql.getSQLState();
        String message;
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            message = primary(p.getServerErrorMessage());
        } else if (sql instanceof BatchUpdateException) {
            message = "a batch failed"; // its message is the statement with its values
        } else {
            message = sql.getMessage();
        }
        return new IndexFault(isTransient(sql, state), shorten("SQLState " + state + ": " + message));
    }

    /** The innermost SQLException that names a cause (a batch failure wraps the server's error). */
    private static SQLException rootSqlException(Throwable failure) {
        SQLException found = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                found = s;
                while (found.getNextException() != null) {
                    found = found.getNextException();
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return found;
    }

    private static boolean isTransient(SQLException e, String state) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException || state == null) {
            return true;
        }
        return state.startsWith("08")      // connection exception
                || state.startsWith("40")  // serialization failure, deadlock
                || state.startsWith("53")  // insufficient resources (disk full, out of memory, too many connections)
                || state.startsWith("57")  // operator intervention (shutdown, cancel, crash recovery)
                || state.startsWith("58")  // system error (I/O)
                || state.equals("55P03")   // lock not available
                || state.startsWith("XX"); // internal error
    }

    private static String primary(ServerErrorMessage m) {
        return m.getMessage() == null ? "(no message)" : m.getMessage();
    }

    private static String shorten(String s) {
        String oneLine = s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() <= MAX_DESCRIPTION ? oneLine : oneLine.substring(0, MAX_DESCRIPTION) + "…";
    }
}
