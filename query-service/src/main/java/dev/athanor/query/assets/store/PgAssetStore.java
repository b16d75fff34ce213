package dev.athanor.query.assets.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** {@link AssetStore} over the {@code run_asset} table that ingest fills. */
public final class PgAssetStore implements AssetStore {

    private static final String COLUMNS = "run_id, path, relative_path, size_bytes, sha256, completed_at";

    private final Jdbc jdbc;

    // Paths are ordered bytewise (COLLATE "C"), the same on every database whatever its locale.

    public PgAssetStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Page<RunAsset> list(long runId, String prefix, PageRequest page) {
        String where = " FROM run_asset WHERE run_id = ? AND state = 'COMPLETE' AND starts_with(path, ?)";
        List<RunAsset> items = jdbc.list(SqlFragment.of("SELECT " + COLUMNS + where + " ORDER BY path COLLATE \"C\" OFFSET ? LIMIT ?",
                runId, prefix, page.offset(), page.limit()), PgAssetStore::asset);
        long total = jdbc.one(SqlFragment.of("SELECT count(*)" + where, runId, prefix), rs -> rs.getLong(1)).orElse(0L);
        return Page.of(items, page, total);
    }

    @Override
    public Optional<RunAsset> find(long runId, String path) {
        return jdbc.one(SqlFragment.of("SELECT " + COLUMNS
                + " FROM run_asset WHERE run_id = ? AND path = ? AND state = 'COMPLETE'", runId, path), PgAssetStore::asset);
    }

    private static RunAsset asset(ResultSet rs) throws SQLException {
        return new RunAsset(rs.getLong("run_id"), rs.getString("path"), rs.getString("relative_path"),
                rs.getLong("size_bytes"), HexFormat.of().formatHex(rs.getBytes("sha256")),
                Jdbc.getInstant(rs, "completed_at"));
    }
}
