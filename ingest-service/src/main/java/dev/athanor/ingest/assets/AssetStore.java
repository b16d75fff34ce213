package dev.athanor.ingest.assets;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The {@code run_asset} index table: one row per (run, asset path). */
@ApplicationScoped
public class AssetStore {

    private final AgroalDataSource dataSource;

    public AssetStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<StoredAsset> find(long runId, String path) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, size_bytes, sha256, state FROM run_asset WHERE run_id = ? AND path = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredAsset(rs.getLong(1), AssetContent.of(rs.getLong(2), rs.getBytes(3)),
                        rs.getString(4).equals("COMPLETE")));
            }
        }
    }

    /** Records an upload that is starting, or re-declares the content of one that is not complete. */
    public void declare(AssetKey key, AssetContent content, String node) throws SQLException {
        upsert(key, content, null, node);
    }

    /** Marks the asset stored and verified, with the CRC32C of the whole file (archive checks copies with it). */
    public void complete(AssetKey key, AssetContent content, long crc32c, String node) throws SQLException {
        upsert(key, content, crc32c, node);
    }

    /** A complete row never changes: both statements only touch rows still UPLOADING. */
    private void upsert(AssetKey key, AssetContent content, Long crc32c, String node) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO run_asset (run_id, path, relative_path, size_bytes, sha256, crc32c, state,
                                            ingest_node, completed_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)
                     ON CONFLICT (run_id, path) DO UPDATE SET size_bytes = excluded.size_bytes,
                         sha256 = excluded.sha256, crc32c = excluded.crc32c, state = excluded.state,
                         ingest_node = excluded.ingest_node, completed_at = excluded.completed_at
                     WHERE run_asset.state = 'UPLOADING'""")) {
            boolean complete = crc32c != null;
            ps.setLong(1, key.run().runId());
            ps.setString(2, key.path());
            ps.setString(3, key.relativePath());
            ps.setLong(4, content.size());
            ps.setBytes(5, content.sha256Bytes());
            ps.setObject(6, crc32c, java.sql.Types.BIGINT);
            ps.setString(7, complete ? "COMPLETE" : "UPLOADING");
            ps.setString(8, node);
            ps.setBoolean(9, complete);
            ps.executeUpdate();
        }
    }
}
