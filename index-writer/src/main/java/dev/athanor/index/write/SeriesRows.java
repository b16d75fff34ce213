package dev.athanor.index.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creating series rows: one per (run, tag), keyed by the tag's MD5 so tags of any length fit the key. */
public final class SeriesRows {

    /** {@code series.data_class} of scalar series (TensorBoard's DATA_CLASS_SCALAR). */
    public static final short SCALAR = 1;
    /** {@code series.data_class} of tensor series, and of values of plugins TensorBoard does not know. */
    public static final short TENSOR = 2;
    /** {@code series.data_class} of blob-sequence series (images, audio). */
    public static final short BLOB_SEQUENCE = 3;

    /** A series to create; {@code metadata} is the serialized SummaryMetadata, or null. */
    public record NewSeries(String tag, String plugin, short dataClass, byte[] metadata, boolean fromLegacyValue) {
    }

    private SeriesRows() {
    }

    /**
     * Inserts the series a run does not have yet and returns the ids of those it now has, by tag.
     * A tag missing from the answer collided with another tag of the run on its MD5 (only by
     * construction): the caller records it, rather than failing the transaction on every retry.
     */
    public static Map<String, Long> insert(Connection c, long runId, List<NewSeries> fresh) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        if (fresh.isEmpty()) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO series (run_id, tag, plugin, data_class, metadata, from_legacy_value)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, tag_hash) DO NOTHING""")) {
            for (NewSeries s : fresh) {
                ps.setLong(1, runId);
                ps.setString(2, s.tag());
                ps.setString(3, PgText.clean(s.plugin()));
                ps.setShort(4, s.dataClass());
                ps.setBytes(5, s.metadata());
                ps.setBoolean(6, s.fromLegacyValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, tag FROM series WHERE run_id = ? AND tag_hash = ANY(?) AND tag = ANY(?)")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("bytea", fresh.stream().map(s -> TagHash.of(s.tag())).toArray(byte[][]::new)));
            ps.setArray(3, c.createArrayOf("text", fresh.stream().map(NewSeries::tag).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
