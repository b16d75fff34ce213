package dev.athanor.archive.tiering;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.zip.CRC32C;
import javax.sql.DataSource;

/**
 * One active tiering worker per scope among all replicas: a PostgreSQL session advisory lock,
 * held on a dedicated connection for the length of a pass. If the holder dies, its connection
 * closes and PostgreSQL releases the lock, so another replica takes over at its next tick.
 */
public final class WorkerLock {

    /** First half of the two-int advisory lock key: "ARCH". */
    static final int LOCK_CLASS = 0x41524348;

    private final DataSource dataSource;
    private final String scope;
    private final int lockId;

    /** @param scope what the lock guards, e.g. the store name plus the ingest node whose volume this worker sees */
    public WorkerLock(DataSource dataSource, String scope) {
        this.dataSource = dataSource;
        this.scope = scope;
        CRC32C crc = new CRC32C();
        crc.update(scope.getBytes(StandardCharsets.UTF_8));
        this.lockId = (int) crc.getValue();
    }

    /**
     * The scope of the archive worker of {@code store} beside {@code node}'s volume (all nodes: "*"):
     * replicas that see the same volume take turns; the tiering pass and the scrub share it.
     */
    public static String workerScope(String store, Optional<String> node) {
        return store + "/" + node.orElse("*");
    }

    public String scope() {
        return scope;
    }

    /** The lock, held until the returned handle is closed; empty when another worker holds it. */
    public Optional<Held> tryAcquire() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, lockId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new Held(c));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A held lock. */
    public final class Held implements AutoCloseable {
        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() throws SQLException {
            try (connection; PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, lockId);
                ps.execute();
            }
        }
    }
}
