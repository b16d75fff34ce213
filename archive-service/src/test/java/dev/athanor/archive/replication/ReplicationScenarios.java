package dev.athanor.archive.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.testing.FaultyStore;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.testing.TieringFixture;
import dev.athanor.archive.tiering.PassSummary;
import dev.athanor.archive.tiering.TieringWorker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replication driven by the tiering worker, the same scenarios for every pair of real stores:
 * subclasses say which primary and destination stores to use (filesystem, s3proxy).
 */
abstract class ReplicationScenarios extends TieringFixture {

    ObjectStore primary;
    FaultyStore destination;
    String name;
    String destinationPrefix;
    long experimentId;
    ReplicationCatalog replication;

    /** The primary store, empty for this test. */
    abstract ObjectStore primaryStore(Path tmp) throws Exception;

    /** The destination store, empty under {@code destinationPrefix}. */
    abstract ObjectStore destinationStore(Path tmp) throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        primary = primaryStore(tmp);
        destination = new FaultyStore(destinationStore(tmp));
        name = uniqueDestinationName();
        destinationPrefix = "replica-" + name;
        replication = replicationCatalog();
        experimentId = replication.experimentId("default", hot.experiment()).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        primary.close();
        destination.close();
    }

    TieringWorker worker(int batchSize) {
        return worker(primary, lock(PRIMARY),
                settings(batchSize, Optional.empty()),
                replicator(primary, new Destination(name, destination, destinationPrefix), replication));
    }

    /** Relative paths (under the prefixes) and bytes of what the experiment archives. */
    record Written(String relativePath, byte[] bytes) {
    }

    List<Written> segments(HotLog.Run run, int count) throws Exception {
        List<Written> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HotLog.Segment s = hot.segment(run, 20 + 10 * i);
            out.add(new Written(s.relativePath(), s.bytes()));
        }
        return out;
    }

    Written asset(HotLog.Run run) throws Exception {
        String relative = run.relativeDir() + "/plugins/profile/2026_01_01_00_00_00/host.xplane.pb";
        Path file = hot.hotRoot().resolve(relative);
        Files.createDirectories(file.getParent());
        byte[] bytes = HotLog.eventFile(25);
        Files.write(file, bytes);
        Crc32c.Digest digest = Crc32c.of(bytes);
        try (var c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO run_asset (run_id, path, relative_path, size_bytes, sha256, crc32c, state, ingest_node,
                    completed_at) VALUES (?, ?, ?, ?, ?, ?, 'COMPLETE', ?, now())""")) {
            ps.setLong(1, run.id());
            ps.setString(2, "plugins/profile/2026_01_01_00_00_00/host.xplane.pb");
            ps.setString(3, relative);
            ps.setLong(4, digest.size());
            ps.setBytes(5, MessageDigest.getInstance("SHA-256").digest(bytes));
            ps.setLong(6, digest.crc32c());
            ps.setString(7, hot.node());
            ps.executeUpdate();
        }
        return new Written(relative, bytes);
    }

    String destinationKey(Written w) {
        return destinationPrefix + "/" + w.relativePath();
    }

    byte[] read(ObjectStore store, String key) throws Exception {
        try (InputStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    /** Replaces an object with other bytes, as damage or a half-finished copy would leave it. */
    void overwrite(String key, byte[] bytes) throws Exception {
        Path file = Files.write(tmp.resolve("damaged-" + UUID.randomUUID()), bytes);
        Crc32c.Digest d = Crc32c.of(bytes);
        destination.put(key, file, d.size(), d.crc32c(), StorageTier.WARM);
    }

    List<String> states() throws Exception {
        List<String> out = new ArrayList<>();
        for (ReplicationCatalog.Replica r : replication.replicasOf(experimentId)) {
            out.add(r.state());
        }
        return out;
    }

    double counter(String meter, String... tags) {
        var c = registry.find(meter).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /**
     * Issue 17's purge: the archive-service beside the run's ingest replica removes its primary
     * objects, replicas, hot files and journal, then its index rows with one audit row per object —
     * and does nothing while the project is under legal hold.
     */
    @Test
    void aPurgedRunLeavesNoIndexRowHotFileOrObjectAndWaitsWhileALegalHoldApplies() throws Exception {
        String project = "purge-" + name;
        HotLog own = new HotLog(db, hot.hotRoot(), hot.node(), project);
        HotLog.Run run = own.run("train", "FINISHED");
        segments(run, 3);
        Written asset = asset(run);
        HotLog.Run kept = own.run("kept", "FINISHED");
        Written keptSegment = segments(kept, 1).getFirst();
        long experiment = replication.experimentId(project, own.experiment()).orElseThrow();
        replication.request(experiment, name, "tester");
        worker(100).tick();
        HotLog.Segment live = hot.segment(run, 5, false);   // never archived: only on the hot volume
        Path journal = hot.hotRoot().resolve(run.relativeDir()).resolve(dev.athanor.rawlog.Journal.FILE_NAME);
        Files.write(journal, new byte[] {1, 2, 3});
        List<String> primaryKeys = strings("SELECT object_key FROM archive_object WHERE run_id = ? UNION ALL"
                + " SELECT object_key FROM archive_asset WHERE run_id = ?", run.id(), run.id());
        List<String> replicaKeys = strings("SELECT object_key FROM archive_replica WHERE run_id = ?", run.id());
        assertThat(primaryKeys).hasSize(4);
        assertThat(replicaKeys).hasSize(4);
        for (String key : primaryKeys) {
            assertThat(primary.head(key)).as(key).isPresent();
        }
        for (String key : replicaKeys) {
            assertThat(destination.head(key)).as(key).isPresent();
        }
        // What query-service does: the run goes to the trash, an admin asks for its purge.
        execute("UPDATE run SET trashed_at = now(), trashed_by = 'alice' WHERE id = ?", run.id());
        execute("INSERT INTO purge_request (run_id, reason, requested_by) VALUES (?, 'ADMIN', 'admin')", run.id());
        execute("INSERT INTO archive_policy (project_id, legal_hold, updated_by) SELECT id, true, 'counsel'"
                + " FROM project WHERE name = ?", project);

        worker(100).tick();

        assertThat(strings("SELECT last_error FROM purge_request WHERE run_id = ?", run.id()))
                .singleElement().asString().contains("legal hold");
        assertThat(strings("SELECT path FROM run WHERE id = ?", run.id())).containsExactly("train");
        assertThat(Files.exists(live.file())).isTrue();
        for (String key : primaryKeys) {
            assertThat(primary.head(key)).as(key).isPresent();
        }

        execute("UPDATE archive_policy SET legal_hold = false WHERE project_id = (SELECT id FROM project WHERE name = ?)",
                project);
        worker(100).tick();

        for (String table : List.of("run", "series", "raw_segment", "run_asset", "archive_object", "archive_asset",
                "archive_replica", "purge_request", "run_lease")) {
            String column = table.equals("run") ? "id" : "run_id";
            assertThat(strings("SELECT count(*)::text FROM " + table + " WHERE " + column + " = ?", run.id()))
                    .as(table).containsExactly("0");
        }
        for (String key : primaryKeys) {
            assertThat(primary.head(key)).as(key).isEmpty();
        }
        for (String key : replicaKeys) {
            assertThat(destination.head(key)).as(key).isEmpty();
        }
        assertThat(Files.exists(live.file())).isFalse();
        assertThat(Files.exists(hot.hotRoot().resolve(asset.relativePath()))).isFalse();
        assertThat(Files.exists(journal)).isFalse();
        // One audit row per removed file or object: 4 segments (3 archived, 1 hot only), the asset, 4 replicas.
        assertThat(strings("SELECT reason || ' ' || coalesce(store, '-') FROM archive_deletion WHERE run_id = ?",
                run.id())).hasSize(9).allSatisfy(r -> assertThat(r).startsWith("PURGE "))
                .filteredOn(r -> r.equals("PURGE " + name)).hasSize(4);
        List<String> audited = strings("SELECT object_key FROM archive_deletion WHERE run_id = ? AND object_key IS NOT NULL",
                run.id());
        assertThat(audited).containsAll(primaryKeys).containsAll(replicaKeys);
        // The other run of the experiment keeps everything.
        assertThat(read(destination, destinationKey(keptSegment))).isEqualTo(keptSegment.bytes());
        assertThat(strings("SELECT path FROM run WHERE id = ?", kept.id())).containsExactly("kept");
    }

    /**
     * Replicas follow the source's lifecycle: retention removes a run's replicated objects with its
     * primary copies (audited per object, store = the destination), and a legal hold keeps both.
     */
    @Test
    void retentionRemovesAnExpiredRunsReplicasTooAndALegalHoldKeepsThem() throws Exception {
        String project = "retain-" + name;
        HotLog own = new HotLog(db, hot.hotRoot(), hot.node(), project);
        HotLog.Run expired = own.run("expired", "FINISHED");
        segments(expired, 2);
        HotLog.Run recent = own.run("recent", "FINISHED");
        Written recentSegment = segments(recent, 1).getFirst();
        replication.request(replication.experimentId(project, own.experiment()).orElseThrow(), name, "tester");
        worker(100).tick();
        List<String> replicaKeys = strings("SELECT object_key FROM archive_replica WHERE run_id = ? AND state = 'VERIFIED'",
                expired.id());
        List<String> primaryKeys = strings("SELECT object_key FROM archive_object WHERE run_id = ?", expired.id());
        assertThat(replicaKeys).hasSize(2);
        execute("UPDATE run SET ended_at = ? WHERE id = ?",
                java.sql.Timestamp.from(clock.instant().minus(Duration.ofDays(400))), expired.id());
        execute("INSERT INTO archive_policy (project_id, retention, legal_hold, updated_by)"
                + " SELECT id, interval '30 days', true, 'counsel' FROM project WHERE name = ?", project);

        worker(100).tick();

        assertThat(strings("SELECT path FROM run WHERE id = ?", expired.id())).as("held").containsExactly("expired");
        for (String key : replicaKeys) {
            assertThat(destination.head(key)).as("held replica %s", key).isPresent();
        }

        execute("UPDATE archive_policy SET legal_hold = false WHERE project_id = (SELECT id FROM project WHERE name = ?)",
                project);
        worker(100).tick();

        assertThat(strings("SELECT count(*)::text FROM run WHERE id = ?", expired.id())).containsExactly("0");
        for (String key : replicaKeys) {
            assertThat(destination.head(key)).as("replica %s", key).isEmpty();
        }
        for (String key : primaryKeys) {
            assertThat(primary.head(key)).as("primary %s", key).isEmpty();
        }
        assertThat(strings("SELECT object_key FROM archive_deletion WHERE run_id = ? AND reason = 'RETENTION'"
                + " AND store = ?", expired.id(), name)).containsExactlyInAnyOrderElementsOf(replicaKeys);
        // The run that has not reached its retention keeps its replica.
        assertThat(read(destination, destinationKey(recentSegment))).isEqualTo(recentSegment.bytes());
    }

    List<String> strings(String sql, Object... params) throws Exception {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    void execute(String sql, Object... params) throws Exception {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    @Test
    void anExperimentsSegmentsAndAssetsAreCopiedVerifiedAndNeverCopiedTwice() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        List<Written> all = new ArrayList<>(segments(run, 3));
        all.add(asset(run));
        HotLog other = new HotLog(db, hot.hotRoot(), hot.node(), "replication-other");
        Written notRequested = segments(other.run("x", "FINISHED"), 1).getFirst();
        assertThat(replication.request(experimentId, name, "tester")).isTrue();
        assertThat(replication.request(experimentId, name, "tester")).isFalse();

        PassSummary pass = worker(100).tick();

        assertThat(pass.status()).isEqualTo(PassSummary.Status.RAN);
        for (Written w : all) {
            assertThat(read(destination, destinationKey(w))).isEqualTo(w.bytes());
        }
        assertThat(destination.head(destinationKey(notRequested))).isEmpty();
        List<ReplicationCatalog.Replica> replicas = replication.replicasOf(experimentId);
        assertThat(replicas).hasSize(4).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("VERIFIED");
            assertThat(r.destination()).isEqualTo(name);
            assertThat(r.verifiedAt()).isNotNull();
            assertThat(r.attempts()).isEqualTo(1);
        });
        assertThat(replicas).extracting(ReplicationCatalog.Replica::kind).containsOnly("SEGMENT", "ASSET")
                .contains("ASSET");
        long total = all.stream().mapToLong(w -> w.bytes().length).sum();
        assertThat(counter("athanor.archive.replication.bytes", "destination", name)).isEqualTo(total);
        assertThat(registry.get("athanor.archive.replication.pending").tag("destination", name).gauge().value())
                .isZero();
        assertThat(destination.puts.get()).isEqualTo(4);

        worker(100).tick();
        worker(100).tick();

        assertThat(destination.puts.get()).as("a verified replica is never copied again").isEqualTo(4);
        assertThat(replication.replicasOf(experimentId)).extracting(ReplicationCatalog.Replica::attempts)
                .containsOnly(1);
    }

    @Test
    void aTruncatedOrCorruptedReplicaIsFoundByReverificationAndCopiedAgain() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        List<Written> segments = segments(run, 3);
        replication.request(experimentId, name, "tester");
        worker(100).tick();
        assertThat(destination.puts.get()).isEqualTo(3);
        Written truncated = segments.get(0);
        Written flipped = segments.get(1);
        overwrite(destinationKey(truncated), Arrays.copyOf(truncated.bytes(), truncated.bytes().length - 7));
        byte[] damaged = flipped.bytes().clone();
        damaged[damaged.length / 2] ^= 0x01;
        overwrite(destinationKey(flipped), damaged);
        int putsBefore = destination.puts.get();

        // Without a re-verification request the catalog still trusts its verified rows.
        worker(100).tick();
        assertThat(destination.puts.get()).isEqualTo(putsBefore);

        assertThat(replication.reverify(experimentId, name)).isEqualTo(3);
        assertThat(states()).containsOnly("PENDING");
        worker(100).tick();

        assertThat(destination.puts.get()).as("only the two damaged copies are copied again").isEqualTo(putsBefore + 2);
        for (Written w : segments) {
            assertThat(read(destination, destinationKey(w))).isEqualTo(w.bytes());
        }
        assertThat(states()).containsOnly("VERIFIED");
    }

    @Test
    void anInterruptedPassIsResumedWithoutCopyingWhatIsAlreadyThere() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        List<Written> segments = segments(run, 4);
        replication.request(experimentId, name, "tester");
        // A copy that finished just before a crash, with no catalog row yet.
        overwrite(destinationKey(segments.get(3)), segments.get(3).bytes());
        // The first copy breaks off half-way, leaving a truncated object behind.
        destination.failPutsMidUpload.set(1);
        int putsBefore = destination.puts.get();

        worker(2).tick();

        assertThat(destination.puts.get() - putsBefore).isEqualTo(2);
        assertThat(destination.head(destinationKey(segments.get(0))).orElseThrow().size())
                .isEqualTo(segments.get(0).bytes().length / 2);
        assertThat(counter("athanor.archive.replication.failures", "destination", name, "reason", "UNAVAILABLE"))
                .isEqualTo(1);
        ReplicationCatalog.Replica failed = replication.replicasOf(experimentId).stream()
                .filter(r -> r.state().equals("FAILED")).findFirst().orElseThrow();
        assertThat(failed.lastError()).contains("connection reset");

        // A restarted service: a new worker, same catalog.
        for (int i = 0; i < 3; i++) {
            worker(2).tick();
        }

        // Segment 0 again (the truncated copy is replaced), segment 2; segment 1 and 3 were not re-sent.
        assertThat(destination.puts.get() - putsBefore).isEqualTo(4);
        for (Written w : segments) {
            assertThat(read(destination, destinationKey(w))).isEqualTo(w.bytes());
        }
        assertThat(states()).hasSize(4).containsOnly("VERIFIED");
        try (var c = db.getConnection(); var ps = c.prepareStatement(
                "SELECT max(attempts) FROM archive_replica WHERE destination = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aDamagedPrimaryCopyIsNotSpread() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        Written s = segments(run, 1).getFirst();
        // Archive first, then damage the primary copy before the experiment is replicated.
        worker(100).tick();
        byte[] damaged = s.bytes().clone();
        damaged[3] ^= 0x10;
        Path file = Files.write(tmp.resolve("damaged-primary"), damaged);
        Crc32c.Digest d = Crc32c.of(damaged);
        primary.put(PREFIX + "/" + s.relativePath(), file, d.size(), d.crc32c(), StorageTier.WARM);
        replication.request(experimentId, name, "tester");

        worker(100).tick();

        assertThat(destination.head(destinationKey(s))).isEmpty();
        ReplicationCatalog.Replica r = replication.replicasOf(experimentId).getFirst();
        assertThat(r.state()).isEqualTo("FAILED");
        assertThat(r.lastError()).contains("CHECKSUM_MISMATCH").contains("the primary copy").contains("not replicated");
    }
}
