package dev.athanor.ingest.hotread;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** Which experiment a segment or stored asset on this replica belongs to, if it is one of the run's files here. */
@ApplicationScoped
public class HotSegmentCatalog {

    private static final String EXPERIMENT_OF_SEGMENT = """
            SELECT r.experiment_id FROM raw_segment s JOIN run r ON r.id = s.run_id
             WHERE s.run_id = ? AND s.relative_path = ? AND s.ingest_node = ?""";

    private static final String EXPERIMENT_OF_ASSET = """
            SELECT r.experiment_id FROM run_asset a JOIN run r ON r.id = a.run_id
             WHERE a.run_id = ? AND a.relative_path = ? AND a.ingest_node = ? AND a.state = 'COMPLETE'""";

    private final AgroalDataSource dataSource;

    public HotSegmentCatalog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The segment's experiment, or empty when the run has no such segment written by {@code node}. */
    public OptionalLong experimentOf(long runId, String relativePath, String node) throws SQLException {
        return experiment(EXPERIMENT_OF_SEGMENT, runId, relativePath, node);
    }

    /** The asset's experiment, or empty when the run has no complete asset at that path stored by {@code node}. */
    public OptionalLong experimentOfAsset(long runId, String relativePath, String node) throws SQLException {
        return experiment(EXPERIMENT_OF_ASSET, runId, relativePath, node);
    }

    private OptionalLong experiment(String sql, long runId, String relativePath, String node) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, relativePath);
            ps.setString(3, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }
}
