package dev.athanor.archive.tiering;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.layout.UnsafePathException;
import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectKeys;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.rawlog.HotRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Copies run asset files (run_asset, state COMPLETE: profiler traces under plugins/…) to the store
 * beside the run's segments, {@code <prefix>/<project>/<experiment>/<run>/<path>}, so TensorBoard
 * reading the archived logdir finds them. Same safety as segments: the hot file must match the size
 * and CRC32C ingest recorded, the store checks the bytes on put, and the copy is verified (store
 * checksum or read-back) before it is recorded VERIFIED in archive_asset. Hot copies are kept.
 */
final class AssetArchiver {

    private static final Logger LOG = Logger.getLogger(AssetArchiver.class);

    private record Asset(long id, long runId, String relativePath, long size, long crc32c) {
    }

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final ArchiveLayout layout;
    private final HotRoot hotRoot;
    private final ObjectVerifier verifier;

    AssetArchiver(ObjectStore store, ArchiveCatalog catalog, ArchiveLayout layout, HotRoot hotRoot,
                  ObjectVerifier verifier) {
        this.store = store;
        this.catalog = catalog;
        this.layout = layout;
        this.hotRoot = hotRoot;
        this.verifier = verifier;
    }

    /** Archives up to {@code limit} assets without a verified copy; returns how many were verified. */
    int archive(int limit) throws SQLException {
        int verified = 0;
        for (Asset asset : pending(limit)) {
            try {
                Path file = hotRoot.resolve(asset.relativePath());
                if (!Files.isRegularFile(file)) {
                    continue; // on another node's volume, or removed with its run
                }
                String key = key(asset.relativePath());
                Crc32c.Digest digest = Crc32c.of(file);
                if (digest.size() != asset.size() || digest.crc32c() != asset.crc32c()) {
                    record(asset, key, "FAILED", "[CHECKSUM_MISMATCH] hot file " + file + " has " + digest.size()
                            + " bytes with CRC32C " + digest.crc32c() + ", run_asset says " + asset.size() + " / "
                            + asset.crc32c());
                    continue;
                }
                store.put(key, file, asset.size(), asset.crc32c(), StorageTier.WARM);
                verifier.verify(key, asset.size(), asset.crc32c());
                record(asset, key, "VERIFIED", null);
                verified++;
            } catch (StoreException e) {
                LOG.warnf("asset %s not archived: %s", asset.relativePath(), e.getMessage());
                recordQuietly(asset, "[" + e.reason() + "] " + e.getMessage());
            } catch (UnsafePathException | IOException e) {
                LOG.warnf("asset %s not archived: %s", asset.relativePath(), e.getMessage());
                recordQuietly(asset, e.getMessage());
            }
        }
        return verified;
    }

    /** Asset keys are checked like segment keys, without the event-file name rule. */
    private String key(String relativePath) throws UnsafePathException {
        String key = layout.prefix().isEmpty() ? relativePath : layout.prefix() + "/" + relativePath;
        String problem = ObjectKeys.problem(key);
        if (problem != null || relativePath.split("/").length < 3) {
            throw new UnsafePathException(relativePath, problem != null ? problem
                    : "expected <project>/<experiment>/<run>/<path>");
        }
        return key;
    }

    private List<Asset> pending(int limit) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT a.id, a.run_id, a.relative_path, a.size_bytes, a.crc32c FROM run_asset a
                LEFT JOIN archive_asset x ON x.asset_id = a.id AND x.store = ?
                WHERE a.state = 'COMPLETE' AND (?::text IS NULL OR a.ingest_node = ?)
                  AND (x.id IS NULL OR x.state <> 'VERIFIED')
                ORDER BY a.id LIMIT ?""")) {
            ps.setString(1, catalog.store());
            ps.setString(2, catalog.node().orElse(null));
            ps.setString(3, catalog.node().orElse(null));
            ps.setInt(4, limit);
            List<Asset> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Asset(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            return out;
        }
    }

    private void record(Asset asset, String key, String state, String error) throws SQLException, StoreException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO archive_asset (asset_id, run_id, store, uri, object_key, size_bytes, crc32c, state,
                    last_error, verified_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'VERIFIED' THEN now() END)
                ON CONFLICT (asset_id, store) DO UPDATE SET state = EXCLUDED.state, last_error = EXCLUDED.last_error,
                    attempts = archive_asset.attempts + 1, verified_at = EXCLUDED.verified_at, updated_at = now()""")) {
            ps.setLong(1, asset.id());
            ps.setLong(2, asset.runId());
            ps.setString(3, catalog.store());
            ps.setString(4, store.uri(key).toString());
            ps.setString(5, key);
            ps.setLong(6, asset.size());
            ps.setLong(7, asset.crc32c());
            ps.setString(8, state);
            ps.setString(9, error);
            ps.setString(10, state);
            ps.executeUpdate();
        }
    }

    private void recordQuietly(Asset asset, String error) {
        try {
            record(asset, key(asset.relativePath()), "FAILED", error);
        } catch (SQLException | StoreException | UnsafePathException e) {
            LOG.debugf("could not record the failure of asset %s: %s", asset.relativePath(), e.getMessage());
        }
    }
}
