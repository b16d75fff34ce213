package dev.athanor.archive.testing;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes what ingest leaves behind: runs in the catalog and sealed raw segments (real TensorBoard
 * event files) under a hot root, with their raw_segment rows, for one ingest node.
 */
public final class HotLog {

    /** A segment written by {@link #segment}. */
    public record Segment(long id, long runId, String relativePath, Path file, byte[] bytes) {
    }

    /** A run created by {@link #run}. */
    public record Run(long id, String project, String experiment, String path) {
        public String relativeDir() {
            return HotRoot.relativeRunDirectory(project, experiment, path);
        }
    }

    private final DataSource dataSource;
    private final Path hotRoot;
    private final String node;
    private final String experiment;
    private final String project;
    private long experimentId;
    private int seq;

    public HotLog(DataSource dataSource, Path hotRoot) throws SQLException {
        this(dataSource, hotRoot, "node-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public HotLog(DataSource dataSource, Path hotRoot, String node) throws SQLException {
        this(dataSource, hotRoot, node, "default");
    }

    /** Runs in their own project (created if missing), for per-project policies. */
    public HotLog(DataSource dataSource, Path hotRoot, String node, String project) throws SQLException {
        this.dataSource = dataSource;
        this.hotRoot = hotRoot;
        this.node = node;
        this.project = project;
        this.experiment = "exp " + node;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO project (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, project);
            ps.executeUpdate();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO experiment (project_id, name) SELECT id, ? FROM project WHERE name = ? RETURNING id")) {
            ps.setString(1, experiment);
            ps.setString(2, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                experimentId = rs.getLong(1);
            }
        }
    }

    public String node() {
        return node;
    }

    public Path hotRoot() {
        return hotRoot;
    }

    public String experiment() {
        return experiment;
    }

    public Run run(String path, String status) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO run (experiment_id, path, status, started_at, last_event_at, ended_at)
                VALUES (?, ?, ?, now() - interval '2 hours', now() - interval '1 hour',
                        CASE WHEN ? = 'RUNNING' THEN NULL ELSE now() - interval '1 hour' END) RETURNING id""")) {
            ps.setLong(1, experimentId);
            ps.setString(2, path);
            ps.setString(3, status);
            ps.setString(4, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Run(rs.getLong(1), project, experiment, path);
            }
        }
    }

    /** A sealed segment of {@code steps} scalar events. */
    public Segment segment(Run run, int steps) throws IOException, SQLException {
        return segment(run, steps, true);
    }

    public Segment segment(Run run, int steps, boolean sealed) throws IOException, SQLException {
        String name = SegmentNames.name(1_700_000_000L + seq, 1, node, seq);
        seq++;
        byte[] bytes = eventFile(steps);
        String relative = run.relativeDir() + "/" + name;
        Path file = hotRoot.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new Segment(insertSegment(run.id(), relative, bytes.length, sealed), run.id(), relative, file, bytes);
    }

    /** A raw_segment row for any path (bad input tests), with a file only if {@code bytes} is given. */
    public long insertSegment(long runId, String relativePath, long size, boolean sealed) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO raw_segment (run_id, relative_path, state, size_bytes, record_count, ingest_node, sealed_at)
                VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id""")) {
            ps.setLong(1, runId);
            ps.setString(2, relativePath);
            ps.setString(3, sealed ? "SEALED" : "OPEN");
            ps.setLong(4, size);
            ps.setString(5, node);
            ps.setTimestamp(6, sealed ? Timestamp.from(Instant.now().minusSeconds(3600)) : null);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void finish(Run run) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE run SET status = 'FINISHED', ended_at = now() - interval '1 hour' WHERE id = ?")) {
            ps.setLong(1, run.id());
            ps.executeUpdate();
        }
    }

    public static byte[] eventFile(int steps) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventFileWriter writer = EventFileWriter.wrap(Path.of("segment"), out)) {
            writer.write(Event.newBuilder().setWallTime(1.7e9).setFileVersion(EventFileWriter.FILE_VERSION).build());
            for (int step = 0; step < steps; step++) {
                writer.write(Event.newBuilder().setWallTime(1.7e9 + step).setStep(step)
                        .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder()
                                .setTag("loss").setSimpleValue(1.0f / (step + 1))))
                        .build());
            }
        }
        return out.toByteArray();
    }

    public Timestamp hotDeletedAt(long segmentId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT hot_deleted_at FROM raw_segment WHERE id = ?")) {
            ps.setLong(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1);
            }
        }
    }
}
