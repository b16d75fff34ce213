package dev.athanor.archive.auth;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import dev.athanor.auth.ItemProjects;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The project an archive path's item belongs to: a segment, a run or an experiment. */
@ApplicationScoped
public class ProjectOf implements ItemProjects {

    /** Path parameter → the query from its id to the project name. */
    static final Map<String, String> QUERIES = Map.of(
            "segmentId", "SELECT p.name FROM raw_segment s JOIN run r ON r.id = s.run_id"
                    + " JOIN experiment e ON e.id = r.experiment_id JOIN project p ON p.id = e.project_id WHERE s.id = ?",
            "runId", "SELECT p.name FROM run r JOIN experiment e ON e.id = r.experiment_id"
                    + " JOIN project p ON p.id = e.project_id WHERE r.id = ?",
            "experimentId", "SELECT p.name FROM experiment e JOIN project p ON p.id = e.project_id WHERE e.id = ?");

    private final AgroalDataSource dataSource;

    public ProjectOf(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<String> parameters() {
        return List.of("segmentId", "runId", "experimentId");
    }

    /** Empty when the item does not exist. */
    @Override
    public Optional<String> projectOf(String pathParameter, long id) {
        try {
            return lookup(pathParameter, id);
        } catch (SQLException e) {
            throw new IllegalStateException("looking up the project of " + pathParameter + " " + id, e);
        }
    }

    private Optional<String> lookup(String pathParameter, long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(QUERIES.get(pathParameter))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
