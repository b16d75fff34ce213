package dev.athanor.archive.tiering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.catalog.ArchivedObject;
import dev.athanor.archive.catalog.ObjectState;
import dev.athanor.archive.catalog.SegmentToArchive;
import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.testing.FaultyStore;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.testing.TieringFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tiering loop against embedded PostgreSQL and a filesystem store (with faults injected). */
class TieringWorkerTest extends TieringFixture {

    static final Backoff SEGMENT_BACKOFF = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));

    FilesystemObjectStore fsStore;

    @BeforeEach
    void setUp() throws Exception {
        fsStore = new FilesystemObjectStore(Files.createDirectories(tmp.resolve("archive")));
    }

    static TieringSettings settings(boolean deleteHot, Optional<Duration> coldAfter, VerifyMode verify) {
        return new TieringSettings(100, Duration.ZERO, deleteHot, Duration.ZERO, coldAfter, verify, SEGMENT_BACKOFF,
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    TieringWorker worker(ObjectStore store, TieringSettings settings) {
        return worker(store, lock(PRIMARY), settings, null);
    }

    TieringWorker worker(ObjectStore store) {
        return worker(store, settings(true, Optional.empty(), VerifyMode.AUTO));
    }

    static byte[] read(ObjectStore store, String key) throws Exception {
        try (InputStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void sealedSegmentsAreCopiedVerifiedAndOnlyThenRemovedFromHotStorage() throws Exception {
        HotLog.Run finished = hot.run("train/lr=0.1", "FINISHED");
        HotLog.Run running = hot.run(".", "RUNNING");
        HotLog.Segment a = hot.segment(finished, 50);
        HotLog.Segment b = hot.segment(finished, 70);
        HotLog.Segment c = hot.segment(running, 30);
        HotLog.Segment open = hot.segment(running, 10, false);

        PassSummary pass = worker(fsStore).tick();

        assertThat(pass.status()).isEqualTo(PassSummary.Status.RAN);
        assertThat(pass.archived()).isEqualTo(3);
        assertThat(pass.archivedBytes()).isEqualTo(a.bytes().length + b.bytes().length + c.bytes().length);
        // Objects keep the TensorBoard logdir layout under the prefix, byte for byte.
        for (HotLog.Segment s : List.of(a, b, c)) {
            assertThat(read(fsStore, PREFIX + "/" + s.relativePath())).isEqualTo(s.bytes());
            ArchivedObject o = catalog().objectOfSegment(s.id()).orElseThrow();
            assertThat(o.state()).isEqualTo(ObjectState.VERIFIED);
            assertThat(o.tier()).isEqualTo(StorageTier.WARM);
            assertThat(o.sizeBytes()).isEqualTo(s.bytes().length);
            assertThat(o.crc32c()).isEqualTo(Crc32c.of(s.bytes()).crc32c());
            assertThat(o.objectKey()).isEqualTo(PREFIX + "/default/" + hot.experiment() + "/"
                    + s.relativePath().substring(("default/" + hot.experiment() + "/").length()));
            assertThat(o.uri()).isEqualTo(fsStore.root().resolve(o.objectKey()).toUri().toString());
        }
        assertThat(fsStore.root().resolve(PREFIX + "/default/" + hot.experiment() + "/train/lr=0.1")).isDirectory();
        // The finished run's hot files are gone; the running run's sealed segment stays (its log
        // is still appended to), and the open segment is never copied.
        assertThat(a.file()).doesNotExist();
        assertThat(b.file()).doesNotExist();
        assertThat(hot.hotDeletedAt(a.id())).isNotNull();
        assertThat(c.file()).exists();
        assertThat(hot.hotDeletedAt(c.id())).isNull();
        assertThat(open.file()).exists();
        assertThat(catalog().objectOfSegment(open.id())).isEmpty();
        assertThat(pass.hotDeleted()).isEqualTo(2);

        assertThat(gauge("athanor.archive.tier.bytes", "tier", "warm"))
                .isEqualTo(a.bytes().length + b.bytes().length + c.bytes().length);
        assertThat(gauge("athanor.archive.tier.bytes", "tier", "hot")).isEqualTo(c.bytes().length + open.bytes().length);
        assertThat(gauge("athanor.archive.segments.pending")).isZero();
        assertThat(counter("athanor.archive.archived.segments")).isEqualTo(3);

        // Once the run finishes, its hot copy goes too; nothing is copied twice.
        hot.finish(running);
        PassSummary second = worker(fsStore).tick();
        assertThat(second.archived()).isZero();
        assertThat(second.hotDeleted()).isEqualTo(1);
        assertThat(c.file()).doesNotExist();
    }

    @Test
    void aStoreFailingMidUploadKeepsTheHotCopyAndIsRetriedAfterBackoff() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 40);
        FaultyStore faulty = new FaultyStore(fsStore);
        faulty.failPutsMidUpload.set(1);
        TieringWorker worker = worker(faulty);

        PassSummary first = worker.tick();
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.hotDeleted()).isZero();
        assertThat(s.file()).exists().hasBinaryContent(s.bytes());
        ArchivedObject failed = catalog().objectOfSegment(s.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(ObjectState.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).contains("UNAVAILABLE").contains("connection reset");
        assertThat(failed.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(hot.hotDeletedAt(s.id())).isNull();
        assertThat(counter("athanor.archive.failures", "reason", "UNAVAILABLE")).isEqualTo(1);
        assertThat(gauge("athanor.archive.segments.failing")).isEqualTo(1);

        // Within the backoff the segment is left alone.
        assertThat(worker.tick().failed()).isZero();
        assertThat(faulty.puts.get()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        PassSummary retried = worker.tick();
        assertThat(retried.archived()).isEqualTo(1);
        assertThat(read(fsStore, PREFIX + "/" + s.relativePath())).isEqualTo(s.bytes());
        assertThat(catalog().objectOfSegment(s.id()).orElseThrow().attempts()).isEqualTo(2);
        assertThat(s.file()).doesNotExist();
    }

    @Test
    void aCopyWithDifferentBytesIsCaughtByReadBackAndTheHotCopyKept() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 40);
        FaultyStore faulty = new FaultyStore(fsStore);
        faulty.corruptPuts.set(1);

        PassSummary first = worker(faulty).tick();

        assertThat(first.failed()).isEqualTo(1);
        assertThat(s.file()).exists().hasBinaryContent(s.bytes());
        ArchivedObject o = catalog().objectOfSegment(s.id()).orElseThrow();
        assertThat(o.state()).isEqualTo(ObjectState.FAILED);
        assertThat(o.lastError()).contains("CHECKSUM_MISMATCH").contains("read back");
        assertThat(counter("athanor.archive.failures", "reason", "CHECKSUM_MISMATCH")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(worker(faulty).tick().archived()).isEqualTo(1);
        assertThat(read(fsStore, PREFIX + "/" + s.relativePath())).isEqualTo(s.bytes());
        assertThat(s.file()).doesNotExist();
    }

    @Test
    void aStoreReportingAWrongChecksumKeepsTheHotCopy() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 40);
        FaultyStore faulty = new FaultyStore(fsStore);
        faulty.lieAboutChecksum.set(1);

        PassSummary first = worker(faulty).tick();

        assertThat(first.failed()).isEqualTo(1);
        assertThat(s.file()).exists();
        assertThat(catalog().objectOfSegment(s.id()).orElseThrow().lastError())
                .contains("the store reports crc32c deadbeef");
    }

    @Test
    void readBackModeVerifiesEveryCopyByItsBytes() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 5);
        FaultyStore faulty = new FaultyStore(fsStore);
        faulty.lieAboutChecksum.set(100);
        // The store's (wrong) checksum is ignored: the bytes read back decide.
        PassSummary pass = worker(faulty, settings(true, Optional.empty(), VerifyMode.READ_BACK)).tick();
        assertThat(pass.archived()).isEqualTo(1);
        assertThat(s.file()).doesNotExist();
    }

    @Test
    void anUploadInterruptedByACrashRestartsCleanly() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 40);
        String key = PREFIX + "/" + s.relativePath();
        // A previous worker recorded the upload, sent half the bytes, and died.
        ArchiveCatalog catalog = catalog();
        SegmentToArchive candidate = new SegmentToArchive(s.id(), run.id(), s.relativePath(), s.bytes().length,
                OptionalLong.empty(), 0);
        Crc32c.Digest d = Crc32c.of(s.bytes());
        catalog.recordUploading(candidate, key, fsStore.uri(key).toString(), d.size(), d.crc32c());
        FaultyStore dying = new FaultyStore(fsStore);
        dying.failPutsMidUpload.set(1);
        try {
            dying.put(key, s.file(), d.size(), d.crc32c(), StorageTier.WARM);
        } catch (StoreException expected) {
            // the crash
        }
        assertThat(fsStore.head(key).orElseThrow().size()).isLessThan(s.bytes().length);

        PassSummary restarted = worker(fsStore).tick();

        assertThat(restarted.archived()).isEqualTo(1);
        assertThat(read(fsStore, key)).isEqualTo(s.bytes());
        ArchivedObject o = catalog.objectOfSegment(s.id()).orElseThrow();
        assertThat(o.state()).isEqualTo(ObjectState.VERIFIED);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(s.file()).doesNotExist();
    }

    @Test
    void aHotFileWhoseRemovalWasRecordedBeforeACrashIsSweptAtStart() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        worker(fsStore, settings(false, Optional.empty(), VerifyMode.AUTO)).tick();
        assertThat(s.file()).exists();
        // The removal was recorded, then the process died before deleting the file.
        assertThat(catalog().markHotDeleted(s.id())).isTrue();

        PassSummary pass = worker(fsStore, settings(false, Optional.empty(), VerifyMode.AUTO)).tick();

        assertThat(pass.status()).isEqualTo(PassSummary.Status.RAN);
        assertThat(s.file()).doesNotExist();
    }

    @Test
    void aHotFileIsKeptWhenItsVerifiedCopyHasVanishedFromTheStore() throws Exception {
        HotLog.Run run = hot.run("r", "RUNNING");
        HotLog.Segment s = hot.segment(run, 10);
        worker(fsStore).tick();
        assertThat(s.file()).exists();
        fsStore.delete(PREFIX + "/" + s.relativePath());
        hot.finish(run);

        PassSummary pass = worker(fsStore).tick();

        assertThat(pass.hotDeleted()).isZero();
        assertThat(s.file()).exists();
        assertThat(hot.hotDeletedAt(s.id())).isNull();
    }

    @Test
    void aRunPathThatWouldEscapeThePrefixIsRefusedAndNothingIsWritten() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        String evil = "default/" + hot.experiment() + "/../../../escaped/events.out.tfevents.1.x.00000000.athanor";
        long id = hot.insertSegment(run.id(), evil, 10, true);

        PassSummary pass = worker(fsStore).tick();

        assertThat(pass.refused()).isEqualTo(1);
        ArchivedObject o = catalog().objectOfSegment(id).orElseThrow();
        assertThat(o.state()).isEqualTo(ObjectState.REFUSED);
        assertThat(o.lastError()).contains("refusing to archive").contains("'..'");
        assertThat(o.objectKey()).isNull();
        assertThat(fsStore.list("")).isEmpty();
        assertThat(counter("athanor.archive.failures", "reason", "REFUSED")).isEqualTo(1);
        // Refused segments are not retried behind a person's back.
        clock.advance(Duration.ofDays(1));
        assertThat(worker(fsStore).tick().refused()).isZero();
    }

    @Test
    void aHotFileThatNoLongerMatchesTheCatalogIsRefusedAndKept() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        Files.write(s.file(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        PassSummary pass = worker(fsStore).tick();

        assertThat(pass.refused()).isEqualTo(1);
        assertThat(s.file()).exists();
        assertThat(catalog().objectOfSegment(s.id()).orElseThrow().lastError())
                .contains("the catalog records " + s.bytes().length + " bytes but the file has " + (s.bytes().length + 3));
    }

    @Test
    void segmentsOnAnotherNodesVolumeAreLeftAlone() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        Files.delete(s.file());

        PassSummary pass = worker(fsStore).tick();

        assertThat(pass.notOnThisNode()).isEqualTo(1);
        assertThat(pass.failed()).isZero();
        assertThat(catalog().objectOfSegment(s.id())).isEmpty();
    }

    @Test
    void onlyOneWorkerRunsAtATime() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        WorkerLock lock = new WorkerLock(db, "primary/" + hot.node());
        try (var held = lock.tryAcquire().orElseThrow()) {
            PassSummary pass = worker(fsStore).tick();
            assertThat(pass.status()).isEqualTo(PassSummary.Status.STANDBY);
            assertThat(s.file()).exists();
            assertThat(catalog().objectOfSegment(s.id())).isEmpty();
        }
        assertThat(worker(fsStore).tick().archived()).isEqualTo(1);
    }

    @Test
    void copiesOfFinishedRunsMoveToTheColdTier() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);

        PassSummary pass = worker(fsStore, settings(true, Optional.of(Duration.ofMinutes(30)), VerifyMode.AUTO)).tick();

        assertThat(pass.cooled()).isEqualTo(1);
        String key = PREFIX + "/" + s.relativePath();
        assertThat(fsStore.head(key).map(ObjectInfo::tier)).contains(StorageTier.COLD);
        assertThat(catalog().objectOfSegment(s.id()).orElseThrow().tier()).isEqualTo(StorageTier.COLD);
        assertThat(gauge("athanor.archive.tier.bytes", "tier", "cold")).isEqualTo(s.bytes().length);
        assertThat(gauge("athanor.archive.tier.bytes", "tier", "warm")).isZero();
    }

    @Test
    void aMissingStoreRootStopsThePassBeforeAnythingIsTouchedAndBacksOff() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        TieringWorker worker = worker(new FilesystemObjectStore(tmp.resolve("not-mounted")));

        PassSummary pass = worker.tick();

        assertThat(pass.status()).isEqualTo(PassSummary.Status.STORE_UNAVAILABLE);
        assertThat(pass.error()).contains("not-mounted");
        assertThat(s.file()).exists();
        assertThat(catalog().objectOfSegment(s.id())).isEmpty();
        assertThat(worker.tick().status()).isEqualTo(PassSummary.Status.BACKING_OFF);
        clock.advance(Duration.ofSeconds(30));
        assertThat(worker.tick().status()).isEqualTo(PassSummary.Status.STORE_UNAVAILABLE);
        assertThat(counter("athanor.archive.failures", "reason", "BUCKET_NOT_FOUND")).isEqualTo(2);
    }

    @Test
    void runAssetFilesAreCopiedBesideTheSegmentsVerifiedAndKeptHot() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        String relative = run.relativeDir() + "/plugins/profile/2026_01_01_00_00_00/host.xplane.pb";
        java.nio.file.Path file = hot.hotRoot().resolve(relative);
        Files.createDirectories(file.getParent());
        byte[] bytes = HotLog.eventFile(30);
        Files.write(file, bytes);
        Crc32c.Digest digest = Crc32c.of(file);
        long assetId;
        try (var c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO run_asset (run_id, path, relative_path, size_bytes, sha256, crc32c, state, ingest_node,
                    completed_at) VALUES (?, ?, ?, ?, ?, ?, 'COMPLETE', ?, now()) RETURNING id""")) {
            ps.setLong(1, run.id());
            ps.setString(2, "plugins/profile/2026_01_01_00_00_00/host.xplane.pb");
            ps.setString(3, relative);
            ps.setLong(4, digest.size());
            ps.setBytes(5, java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            ps.setLong(6, digest.crc32c());
            ps.setString(7, hot.node());
            try (var rs = ps.executeQuery()) {
                rs.next();
                assetId = rs.getLong(1);
            }
        }

        worker(fsStore).tick();

        assertThat(read(fsStore, PREFIX + "/" + relative)).isEqualTo(bytes);
        assertThat(file).exists();
        try (var c = db.getConnection(); var ps = c.prepareStatement(
                "SELECT state, object_key, attempts FROM archive_asset WHERE asset_id = ?")) {
            ps.setLong(1, assetId);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("VERIFIED");
                assertThat(rs.getString(2)).isEqualTo(PREFIX + "/" + relative);
                assertThat(rs.getInt(3)).isEqualTo(1);
            }
        }
        // A verified asset is not copied again.
        fsStore.delete(PREFIX + "/" + relative);
        worker(fsStore).tick();
        assertThat(fsStore.head(PREFIX + "/" + relative)).isEmpty();
    }
}
