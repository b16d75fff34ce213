package dev.athanor.archive.share;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Time-limited signed GET links to every verified archived object of an experiment (S3 presigned
 * URLs, GCS V4 signed URLs), so a collaborator without an account can fetch the event files — in
 * the TensorBoard logdir layout — until the links expire. Each hand-out is recorded in
 * archive_share (the links are not: they are bearer secrets).
 */
public final class ShareLinks {

    /** SigV4 presigned URLs live at most seven days; GCS V4 signed URLs too. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);

    /** One object and its link; {@code path} is its place in the logdir (relative to the experiment). */
    public record Link(String run, String path, String tier, long sizeBytes, URI url) {
    }

    public record Share(String project, String experiment, Instant expiresAt, List<Link> links) {
    }

    /** The experiment (or project) is not known. */
    public static final class NotFound extends Exception {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The store cannot sign links (the filesystem store; GCS credentials without a private key). */
    public static final class Unsupported extends Exception {
        public Unsupported(String message) {
            super(message);
        }
    }

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final Clock clock;
    private final ShareMetrics metrics;

    public ShareLinks(ObjectStore store, ArchiveCatalog catalog, Clock clock, ShareMetrics metrics) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Share create(String project, String experiment, Duration validFor, String by)
            throws SQLException, StoreException, NotFound, Unsupported {
        long t0 = System.nanoTime();
        try {
            Share share = sign(project, experiment, validFor, by);
            metrics.created(share.links().size(), share.links().stream().mapToLong(Link::sizeBytes).sum(),
                    Duration.ofNanos(System.nanoTime() - t0));
            return share;
        } catch (NotFound e) {
            metrics.request("not_found");
            throw e;
        } catch (Unsupported e) {
            metrics.request("unsupported");
            throw e;
        } catch (IllegalArgumentException e) {
            metrics.request("invalid");
            throw e;
        }
    }

    private Share sign(String project, String experiment, Duration validFor, String by)
            throws SQLException, StoreException, NotFound, Unsupported {
        if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("validFor must be more than zero and at most " + MAX_VALIDITY
                    + " (the longest a signed URL may live), got " + validFor);
        }
        List<Object[]> objects = objects(project, experiment);
        Instant expires = clock.instant().plus(validFor);
        String experimentDir = project + "/" + experiment + "/";
        List<Link> links = new ArrayList<>(objects.size());
        for (Object[] o : objects) {
            String key = (String) o[2];
            Optional<URI> url = store.presignGet(key, validFor);
            if (url.isEmpty()) {
                throw new Unsupported("store " + store.location() + " cannot sign links (the filesystem store has no"
                        + " URLs to sign; a GCS store needs credentials with a private key). Share the archive folder"
                        + " or bucket prefix itself instead");
            }
            String relative = (String) o[1];
            links.add(new Link((String) o[0], relative.startsWith(experimentDir)
                    ? relative.substring(experimentDir.length()) : relative, (String) o[3], (Long) o[4], url.get()));
        }
        record(project, experiment, links.size(), expires, by);
        return new Share(project, experiment, expires, links);
    }

    /** run path, segment path, key, tier, size of every verified copy of the experiment in this store. */
    private List<Object[]> objects(String project, String experiment) throws SQLException, NotFound {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT e.id, r.path, s.relative_path, o.object_key, o.tier, o.size_bytes
                FROM project p JOIN experiment e ON e.project_id = p.id
                LEFT JOIN run r ON r.experiment_id = e.id
                LEFT JOIN raw_segment s ON s.run_id = r.id
                LEFT JOIN archive_object o ON o.segment_id = s.id AND o.store = ? AND o.state = 'VERIFIED'
                WHERE p.name = ? AND e.name = ? ORDER BY s.relative_path""")) {
            ps.setString(1, catalog.store());
            ps.setString(2, project);
            ps.setString(3, experiment);
            List<Object[]> out = new ArrayList<>();
            boolean found = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found = true;
                    if (rs.getString(4) != null) {
                        out.add(new Object[] {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getLong(6)});
                    }
                }
            }
            if (!found) {
                throw new NotFound("no experiment '" + experiment + "' in project '" + project + "'");
            }
            return out;
        }
    }

    private void record(String project, String experiment, int count, Instant until, String by) throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO archive_share (project, experiment, store, object_count, valid_until, created_by)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, project);
            ps.setString(2, experiment);
            ps.setString(3, catalog.store());
            ps.setInt(4, count);
            ps.setTimestamp(5, Timestamp.from(until));
            ps.setString(6, by);
            ps.executeUpdate();
        }
    }
}
