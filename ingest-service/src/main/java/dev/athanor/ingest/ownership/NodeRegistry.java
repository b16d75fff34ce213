package dev.athanor.ingest.ownership;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * This replica's row in ingest_node: its name and the address where query-service (hot reads) and
 * other replicas reach it. Written at start and on every lease renewal round.
 */
public final class NodeRegistry {

    private static final String ANNOUNCE = """
            INSERT INTO ingest_node (name, address, seen_at) VALUES (?, ?, now())
            ON CONFLICT (name) DO UPDATE SET address = excluded.address, seen_at = now()""";

    private final DataSource dataSource;
    private final String node;
    private final String address;

    public NodeRegistry(DataSource dataSource, String node, String address) {
        this.dataSource = dataSource;
        this.node = node;
        this.address = address;
    }

    public void announce() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ANNOUNCE)) {
            ps.setString(1, node);
            ps.setString(2, address);
            ps.executeUpdate();
        }
    }
}
