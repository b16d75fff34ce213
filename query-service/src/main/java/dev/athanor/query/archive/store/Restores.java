package dev.athanor.query.archive.store;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StoreException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Restores of archived segments from classes that cannot be read at once, recorded in
 * archive_restore so every replica and the status endpoint give the same answer. Starting one is
 * a single store call that returns at once (S3 RestoreObject runs for minutes to hours on AWS's
 * side); its progress is read back from the store whenever someone asks.
 */
public final class Restores {

    private final Jdbc jdbc;
    private final Supplier<ObjectStore> store;
    private final Duration keepFor;
    private final RestoreMetrics metrics;

    public Restores(Jdbc jdbc, Supplier<ObjectStore> store, Duration keepFor, RestoreMetrics metrics) {
        this.jdbc = jdbc;
        this.store = store;
        this.keepFor = keepFor;
        this.metrics = metrics;
    }

    /** Starts a restore of the copy unless one runs; returns where it stands. */
    public RestoreStatus start(ArchivedSegments.ArchivedCopy copy, Readability current) {
        if (current.state() == Readability.State.RESTORING) {
            return record(copy, "RESTORING", null, null, false);
        }
        try {
            Readability after = store.get().requestRestore(copy.key(), keepFor);
            metrics.requested("started", copy.size());
            return record(copy, stateOf(after), after.readableUntil().orElse(null), null, true);
        } catch (StoreException e) {
            metrics.requested("failed", copy.size());
            return record(copy, "FAILED", null, "[" + e.reason() + "] " + e.getMessage(), true);
        }
    }

    /** The restore state of a copy, refreshed from the store when one is running or may have expired. */
    public RestoreStatus status(ArchivedSegments.ArchivedCopy copy) {
        Optional<RestoreStatus> row = row(copy);
        if (row.isEmpty()) {
            return new RestoreStatus(copy.runId(), copy.segmentId(), copy.key(), copy.tier(),
                    "COLD".equals(copy.tier()) ? refreshState(copy).orElse("UNKNOWN") : "READABLE", null, null, null,
                    statusUrl(copy));
        }
        RestoreStatus current = row.get();
        boolean mayHaveChanged = current.state().equals("RESTORING")
                || (current.state().equals("RESTORED") && current.readableUntil() != null
                && current.readableUntil().isBefore(Instant.now()));
        if (!mayHaveChanged) {
            return current;
        }
        try {
            Readability now = store.get().readability(copy.key());
            String state = switch (now.state()) {
                case READABLE -> "RESTORED";
                case RESTORING -> "RESTORING";
                case NEEDS_RESTORE -> current.state().equals("RESTORED") ? "EXPIRED" : "RESTORING";
            };
            if (state.equals("RESTORED") && current.state().equals("RESTORING")) {
                countCompleted(copy);
            }
            return record(copy, state, now.readableUntil().orElse(null), null, false);
        } catch (StoreException e) {
            return record(copy, current.state(), current.readableUntil(), "[" + e.reason() + "] " + e.getMessage(),
                    false);
        }
    }

    /** Moves the row to RESTORED first, so of several replicas checking at once exactly one counts it. */
    private void countCompleted(ArchivedSegments.ArchivedCopy copy) {
        jdbc.one(SqlFragment.of("""
                UPDATE archive_restore SET state = 'RESTORED', checked_at = now()
                WHERE object_id = ? AND state = 'RESTORING'
                RETURNING extract(epoch FROM now() - requested_at)""", copy.objectId()), rs -> rs.getDouble(1))
                .ifPresent(seconds -> metrics.completed(Duration.ofMillis(Math.round(seconds * 1000))));
    }

    /** Without a recorded restore: READABLE or NEEDS_RESTORE as the store says now. */
    private Optional<String> refreshState(ArchivedSegments.ArchivedCopy copy) {
        try {
            return Optional.of(store.get().readability(copy.key()).state().name());
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    private static String stateOf(Readability r) {
        return r.readable() ? "RESTORED" : "RESTORING";
    }

    private RestoreStatus record(ArchivedSegments.ArchivedCopy copy, String state, Instant readableUntil,
                                 String error, boolean requested) {
        // Plain JDBC: readable_until and last_error are often NULL, which SqlFragment does not carry.
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO archive_restore (object_id, run_id, state, keep_for, readable_until, last_error)
                    VALUES (?, ?, ?, make_interval(secs => ?), ?, ?)
                    ON CONFLICT (object_id) DO UPDATE SET state = EXCLUDED.state,
                        readable_until = EXCLUDED.readable_until, last_error = EXCLUDED.last_error, checked_at = now(),
                        keep_for = CASE WHEN ? THEN EXCLUDED.keep_for ELSE archive_restore.keep_for END,
                        requested_at = CASE WHEN ? AND archive_restore.state <> 'RESTORING' THEN now()
                                            ELSE archive_restore.requested_at END
                    RETURNING state, requested_at, readable_until, last_error""")) {
                ps.setLong(1, copy.objectId());
                ps.setLong(2, copy.runId());
                ps.setString(3, state);
                ps.setDouble(4, keepFor.toSeconds());
                ps.setTimestamp(5, readableUntil == null ? null : Timestamp.from(readableUntil));
                ps.setString(6, error);
                ps.setBoolean(7, requested);
                ps.setBoolean(8, requested);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return status(copy, rs);
                }
            }
        });
    }

    private static RestoreStatus status(ArchivedSegments.ArchivedCopy copy, ResultSet rs) throws SQLException {
        return new RestoreStatus(copy.runId(), copy.segmentId(), copy.key(), copy.tier(), rs.getString("state"),
                Jdbc.getInstant(rs, "requested_at"), Jdbc.getInstant(rs, "readable_until"), rs.getString("last_error"),
                statusUrl(copy));
    }

    private Optional<RestoreStatus> row(ArchivedSegments.ArchivedCopy copy) {
        return jdbc.one(SqlFragment.of("""
                SELECT state, requested_at, readable_until, last_error FROM archive_restore WHERE object_id = ?""",
                copy.objectId()), rs -> status(copy, rs));
    }

    static String statusUrl(ArchivedSegments.ArchivedCopy copy) {
        return "/api/v1/runs/" + copy.runId() + "/archive/segments/" + copy.segmentId();
    }
}
