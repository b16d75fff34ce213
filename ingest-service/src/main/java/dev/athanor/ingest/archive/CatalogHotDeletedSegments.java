package dev.athanor.ingest.archive;

import dev.athanor.ingest.rawlog.HotDeletedSegments;
import dev.athanor.ingest.rawlog.RunIdentity;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/** {@link HotDeletedSegments} from the catalog: segments of the run with raw_segment.hot_deleted_at set. */
@ApplicationScoped
public class CatalogHotDeletedSegments implements HotDeletedSegments {

    private static final Logger LOG = Logger.getLogger(CatalogHotDeletedSegments.class);

    private final AgroalDataSource dataSource;

    public CatalogHotDeletedSegments(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Set<String> of(RunIdentity identity) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT relative_path FROM raw_segment WHERE run_id = ? AND hot_deleted_at IS NOT NULL")) {
            ps.setLong(1, identity.runId());
            Set<String> names = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String path = rs.getString(1);
                    names.add(path.substring(path.lastIndexOf('/') + 1));
                }
            }
            return names;
        } catch (SQLException e) {
            LOG.warnf("cannot ask the catalog which segments of run %d were archived: %s", identity.runId(),
                    e.getMessage());
            return null;
        }
    }
}
