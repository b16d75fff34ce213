package dev.athanor.archive.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.replication.Destination;
import dev.athanor.archive.replication.ReplicationCatalog;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.testing.TieringFixture;
import dev.athanor.archive.tiering.HotCleaner;
import dev.athanor.archive.tiering.PassSummary;
import dev.athanor.archive.tiering.TieringWorker;
import dev.athanor.archive.tiering.VerifyMode;
import dev.athanor.archive.tiering.WorkerLock;
import dev.athanor.rawlog.HotRoot;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scrub against real stores: copies archived and replicated by the real tiering pass, then
 * their bytes changed in the bucket behind the service's back (subclasses say how, per store).
 */
abstract class ScrubScenarios extends TieringFixture {

    ObjectStore primary;
    ObjectStore destination;
    String name;
    String destinationPrefix;
    ReplicationCatalog replication;
    ScrubCatalog scrubCatalog;
    ScrubMetrics scrubMetrics;
    long experimentId;

    abstract ObjectStore primaryStore(Path tmp) throws Exception;

    abstract ObjectStore destinationStore(Path tmp) throws Exception;

    /** Changes the object's bytes in the bucket (or folder) the way damage would, not through the service. */
    abstract void changeInBucket(boolean inPrimary, String key, byte[] bytes) throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        // One per registry, as in the service: a meter registered again keeps its first value source.
        scrubMetrics = new ScrubMetrics(registry);
        primary = primaryStore(tmp);
        destination = destinationStore(tmp);
        name = uniqueDestinationName();
        destinationPrefix = "replica-" + name;
        replication = replicationCatalog();
        scrubCatalog = new ScrubCatalog(db, "primary", Optional.of(hot.node()));
        experimentId = replication.experimentId("default", hot.experiment()).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        primary.close();
        destination.close();
    }

    WorkerLock lock() {
        return lock(PRIMARY);
    }

    TieringWorker worker() {
        return worker(primary, lock(), settings(100, Optional.empty()),
                replicator(primary, new Destination(name, destination, destinationPrefix), replication));
    }

    /** A scrubber as a (re)started service builds it: checks everything verified at least {@code every} ago. */
    Scrubber scrubber(int batchObjects, long batchBytes) {
        return new Scrubber(scrubCatalog, primary, Map.of(name, destination), lock(), scrubMetrics,
                new ScrubSettings(Duration.ZERO, batchObjects, batchBytes, VerifyMode.READ_BACK), clock);
    }

    Scrubber scrubber() {
        return scrubber(100, Long.MAX_VALUE);
    }

    /**
     * A scrub step after the clock moved on (scrubbed_at orders the next batch). An hour: replicas
     * and assets are stamped verified by PostgreSQL's now(), the hand-moved clock must pass it.
     */
    Scrubber.Result step(Scrubber scrubber) {
        clock.advance(Duration.ofHours(1));
        return scrubber.step();
    }

    List<Damage> findings() throws Exception {
        return scrubCatalog.findings(true, 1000).stream().filter(d -> d.experiment().equals(hot.experiment())).toList();
    }

    byte[] read(ObjectStore store, String key) throws Exception {
        try (InputStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    static byte[] flipped(byte[] bytes) {
        byte[] out = bytes.clone();
        out[out.length / 2] ^= 0x01;
        return out;
    }

    String one(String sql, Object... params) throws Exception {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    double gauge(String meter) {
        return registry.get(meter).gauge().value();
    }

    double counter(String meter, String... tags) {
        var c = registry.find(meter).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aChangedSegmentWhoseHotFileIsKeptIsReportedNeverTrustedForHotRemovalAndCopiedAgain() throws Exception {
        // A running run: its sealed segments are archived, their hot files stay.
        HotLog.Run run = hot.run("train", "RUNNING");
        HotLog.Segment good = hot.segment(run, 20);
        HotLog.Segment bad = hot.segment(run, 30);
        assertThat(worker().tick().archived()).isEqualTo(2);
        String badKey = PREFIX + "/" + bad.relativePath();
        changeInBucket(true, badKey, flipped(bad.bytes()));

        Scrubber.Result result = step(scrubber());

        assertThat(result.status()).isEqualTo(Scrubber.Status.RAN);
        assertThat(result.clean()).isEqualTo(1);
        assertThat(result.damaged()).isEqualTo(1);
        Damage d = findings().getFirst();
        assertThat(findings()).hasSize(1);
        assertThat(d.kind()).isEqualTo("SEGMENT");
        assertThat(d.damage()).isEqualTo("MISMATCH");
        assertThat(d.repair()).isEqualTo("RECOPY_FROM_HOT");
        assertThat(d.objectKey()).isEqualTo(badKey);
        assertThat(d.store()).isEqualTo("primary");
        assertThat(d.run()).isEqualTo("train");
        assertThat(d.expectedSize()).isEqualTo(bad.bytes().length);
        assertThat(d.detail()).contains(badKey).contains("expected");
        assertThat(d.repairedAt()).isNull();
        assertThat(one("SELECT state FROM archive_object WHERE segment_id = ?", bad.id())).isEqualTo("FAILED");
        assertThat(one("SELECT last_error FROM archive_object WHERE segment_id = ?", bad.id())).startsWith("[SCRUB] MISMATCH");
        assertThat(gauge("athanor.archive.scrub.damaged")).isEqualTo(1);
        assertThat(counter("athanor.archive.scrub.objects", "kind", "SEGMENT", "result", "DAMAGED")).isEqualTo(1);
        assertThat(counter("athanor.archive.scrub.objects", "kind", "SEGMENT", "result", "CLEAN")).isEqualTo(1);
        assertThat(counter("athanor.archive.scrub.bytes")).isEqualTo(good.bytes().length + bad.bytes().length);
        assertThat(gauge("athanor.archive.scrub.last.step")).isEqualTo(clock.instant().getEpochSecond());

        // The run ends: hot removal may go ahead for the good copy only.
        hot.finish(run);
        HotCleaner.Result cleaned = new HotCleaner(primary, catalog(), new HotRoot(hot.hotRoot()))
                .deleteVerified(Duration.ZERO, 100);
        assertThat(cleaned.deleted()).isEqualTo(1);
        assertThat(good.file()).doesNotExist();
        assertThat(bad.file()).as("never removed on the strength of a damaged copy").hasBinaryContent(bad.bytes());

        // The next pass copies it again from the hot file; the next step sees it repaired.
        PassSummary pass = worker().tick();
        assertThat(pass.archived()).isEqualTo(1);
        assertThat(read(primary, badKey)).isEqualTo(bad.bytes());
        Scrubber.Result after = step(scrubber());
        assertThat(after.repaired()).isEqualTo(1);
        assertThat(findings().getFirst().repairedAt()).isNotNull();
        assertThat(scrubCatalog.findings(false, 1000)).noneMatch(x -> x.id() == d.id());
        assertThat(gauge("athanor.archive.scrub.damaged")).isZero();
    }

    @Test
    void aMissingOrTruncatedSegmentWhoseHotFileIsGoneIsReportedAndStopsCountingAsVerified() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        HotLog.Segment missing = hot.segment(run, 20);
        HotLog.Segment truncated = hot.segment(run, 30);
        PassSummary pass = worker().tick();
        assertThat(pass.hotDeleted()).isEqualTo(2);
        primary.delete(PREFIX + "/" + missing.relativePath());
        changeInBucket(true, PREFIX + "/" + truncated.relativePath(),
                Arrays.copyOf(truncated.bytes(), truncated.bytes().length - 5));

        Scrubber.Result result = step(scrubber());

        assertThat(result.damaged()).isEqualTo(2);
        assertThat(findings()).extracting(Damage::damage).containsExactlyInAnyOrder("MISSING", "MISMATCH");
        assertThat(findings()).extracting(Damage::repair).containsOnly("NONE");
        Damage shorter = findings().stream().filter(x -> x.damage().equals("MISMATCH")).findFirst().orElseThrow();
        assertThat(shorter.detail()).contains(String.valueOf(truncated.bytes().length - 5))
                .contains(String.valueOf(truncated.bytes().length));
        // Readers look for a VERIFIED copy: they now answer "unavailable" instead of serving other bytes.
        assertThat(one("SELECT count(*) FROM archive_object WHERE run_id = ? AND state = 'VERIFIED'", run.id()))
                .isEqualTo("0");
        // Nothing can repair it here; later passes and steps leave the findings open and add none.
        worker().tick();
        step(scrubber());
        assertThat(findings()).hasSize(2).allSatisfy(x -> assertThat(x.repairedAt()).isNull());
        assertThat(gauge("athanor.archive.scrub.damaged")).isEqualTo(2);
    }

    @Test
    void aChangedReplicaIsReportedAndCopiedAgainFromThePrimary() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        List<HotLog.Segment> segments = List.of(hot.segment(run, 20), hot.segment(run, 25));
        replication.request(experimentId, name, "tester");
        worker().tick();
        HotLog.Segment damaged = segments.get(1);
        String replicaKey = destinationPrefix + "/" + damaged.relativePath();
        assertThat(read(destination, replicaKey)).isEqualTo(damaged.bytes());
        changeInBucket(false, replicaKey, flipped(damaged.bytes()));

        Scrubber.Result result = step(scrubber());

        // Two primary copies and two replicas checked; one replica is damaged.
        assertThat(result.clean()).isEqualTo(3);
        assertThat(result.damaged()).isEqualTo(1);
        Damage d = findings().getFirst();
        assertThat(d.kind()).isEqualTo("REPLICA");
        assertThat(d.store()).isEqualTo(name);
        assertThat(d.objectKey()).isEqualTo(replicaKey);
        assertThat(d.repair()).isEqualTo("RECOPY_FROM_PRIMARY");
        assertThat(replication.replicasOf(experimentId)).extracting(ReplicationCatalog.Replica::state)
                .containsExactlyInAnyOrder("VERIFIED", "FAILED");

        worker().tick();

        assertThat(read(destination, replicaKey)).isEqualTo(damaged.bytes());
        assertThat(step(scrubber()).repaired()).isEqualTo(1);
        assertThat(findings()).singleElement().satisfies(x -> assertThat(x.repairedAt()).isNotNull());
        assertThat(counter("athanor.archive.scrub.objects", "kind", "REPLICA", "result", "DAMAGED")).isEqualTo(1);
    }

    @Test
    void stepsAreBoundedTakeTheOldestCheckFirstAndContinueAfterARestart() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(hot.segment(run, 20 + i).id());
            worker().tick();   // one at a time: each verified a little later than the one before
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(step(scrubber(2, Long.MAX_VALUE)).clean()).isEqualTo(2);
        assertThat(scrubbed(ids)).containsExactly(true, true, false, false, false);
        // A restarted service (new scrubber, same catalog) goes on with the next oldest.
        assertThat(step(scrubber(2, Long.MAX_VALUE)).clean()).isEqualTo(2);
        assertThat(scrubbed(ids)).containsExactly(true, true, true, true, false);
        // A byte budget of one byte still finishes the copy that crosses it: one per step.
        assertThat(step(scrubber(100, 1)).clean()).isEqualTo(1);
        assertThat(scrubbed(ids)).containsOnly(true);
        String firstCheck = one("SELECT scrubbed_at::text FROM archive_object WHERE segment_id = ?", ids.getFirst());
        assertThat(step(scrubber(100, 1)).clean()).isEqualTo(1);
        assertThat(one("SELECT scrubbed_at::text FROM archive_object WHERE segment_id = ?", ids.getFirst()))
                .as("then the copy checked longest ago").isNotEqualTo(firstCheck);
        assertThat(one("SELECT scrubbed_at::text FROM archive_object WHERE segment_id = ?", ids.get(1)))
                .isLessThan(one("SELECT scrubbed_at::text FROM archive_object WHERE segment_id = ?", ids.getFirst()));
    }

    @Test
    void nothingIsCheckedWhileTheWorkerLockIsHeldElsewhere() throws Exception {
        HotLog.Run run = hot.run("train", "FINISHED");
        HotLog.Segment s = hot.segment(run, 20);
        worker().tick();
        changeInBucket(true, PREFIX + "/" + s.relativePath(), flipped(s.bytes()));
        try (var held = lock().tryAcquire().orElseThrow()) {
            Scrubber.Result result = step(scrubber());
            assertThat(result.status()).isEqualTo(Scrubber.Status.STANDBY);
            assertThat(result.error()).contains(hot.node());
        }
        assertThat(findings()).isEmpty();
        assertThat(step(scrubber()).damaged()).isEqualTo(1);
    }

    private List<Boolean> scrubbed(List<Long> segmentIds) throws Exception {
        List<Boolean> out = new ArrayList<>();
        for (long id : segmentIds) {
            out.add(one("SELECT scrubbed_at FROM archive_object WHERE segment_id = ?", id) != null);
        }
        return out;
    }
}
