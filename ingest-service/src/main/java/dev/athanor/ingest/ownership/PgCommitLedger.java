package dev.athanor.ingest.ownership;

import dev.athanor.ingest.rawlog.CommitLedger;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The commit ledger in PostgreSQL: run_commit (per epoch) and source_file.committed_offset (the
 * maximum, which GetCommittedOffsets answers from on every replica).
 */
@ApplicationScoped
public class PgCommitLedger implements CommitLedger {

    // The lease rows are locked FOR SHARE: an acquisition (which updates the row) waits for this
    // transaction, and once it has taken a new epoch no record under the old one can pass. So the
    // new owner, reading committed offsets after acquiring, sees everything the old one acknowledged.
    private static final String RECORD = """
            WITH c AS (
                SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::integer[])
                    AS c (run_id, epoch, owner, file_name, committed_offset, head_crc)
            ), held AS (
                SELECT l.run_id FROM run_lease l
                  JOIN (SELECT DISTINCT run_id, epoch, owner FROM c) k
                    ON l.run_id = k.run_id AND l.epoch = k.epoch AND l.owner = k.owner
                   FOR SHARE OF l
            ), recorded AS (
                INSERT INTO run_commit AS r (run_id, epoch, file_name, committed_offset, owner)
                SELECT c.run_id, c.epoch, c.file_name, c.committed_offset, c.owner FROM c JOIN held USING (run_id)
                ON CONFLICT (run_id, epoch, file_name) DO UPDATE
                   SET committed_offset = greatest(r.committed_offset, excluded.committed_offset), updated_at = now()
            ), files AS (
                INSERT INTO source_file AS f (run_id, file_name, committed_offset, head_crc)
                SELECT c.run_id, c.file_name, c.committed_offset, c.head_crc FROM c JOIN held USING (run_id)
                ON CONFLICT (run_id, file_name) DO UPDATE
                   SET committed_offset = greatest(f.committed_offset, excluded.committed_offset),
                       head_crc = coalesce(f.head_crc, excluded.head_crc), updated_at = now()
            )
            SELECT run_id FROM held""";

    private final DataSource dataSource;

    @jakarta.inject.Inject
    public PgCommitLedger(AgroalDataSource dataSource) {
        this((DataSource) dataSource);
    }

    public PgCommitLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Set<Long> record(Collection<Commit> commits) throws SQLException {
        if (commits.isEmpty()) {
            return Set.of();
        }
        List<Long> runIds = new ArrayList<>();
        List<Long> epochs = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<Integer> heads = new ArrayList<>();
        for (Commit commit : commits) {
            commit.offsets().forEach((file, offset) -> {
                runIds.add(commit.runId());
                epochs.add(commit.epoch());
                owners.add(commit.owner());
                files.add(file);
                offsets.add(offset);
                heads.add(commit.heads().get(file));
            });
        }
        Set<Long> held = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RECORD)) {
            ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", epochs.toArray()));
            ps.setArray(3, c.createArrayOf("text", owners.toArray()));
            ps.setArray(4, c.createArrayOf("text", files.toArray()));
            ps.setArray(5, c.createArrayOf("bigint", offsets.toArray()));
            ps.setArray(6, c.createArrayOf("integer", heads.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getLong(1));
                }
            }
        }
        Set<Long> fenced = new HashSet<>();
        for (Commit commit : commits) {
            if (!commit.offsets().isEmpty() && !held.contains(commit.runId())) {
                fenced.add(commit.runId());
            }
        }
        return fenced;
    }

    @Override
    public Map<String, Long> committedOffsets(long runId) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT file_name, committed_offset FROM source_file WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Integer> fileHeads(long runId) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT file_name, head_crc FROM source_file WHERE run_id = ? AND head_crc IS NOT NULL")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    @Override
    public Map<Long, Map<String, Long>> recordedByEpoch(long runId) throws SQLException {
        Map<Long, Map<String, Long>> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT epoch, file_name, committed_offset FROM run_commit WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), e -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        return out;
    }

    @Override
    public Set<String> writers(long runId) throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT owner FROM run_commit WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
