package dev.athanor.query.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.store.testing.ForwardingObjectStore;
import dev.athanor.query.archive.store.ArchivedSegments;
import dev.athanor.query.archive.store.RestoringException;
import dev.athanor.query.archive.store.RestoreMetrics;
import dev.athanor.query.archive.store.Restores;
import dev.athanor.query.blobs.store.BlobSequenceRef;
import dev.athanor.query.blobs.store.BlobStore;
import dev.athanor.query.blobs.store.PgBlobStore;
import dev.athanor.query.blobs.store.RawSegmentReader;
import dev.athanor.rawlog.SegmentSource;
import dev.athanor.query.common.error.RawDataUnavailableException;
import dev.athanor.query.common.series.SeriesInfo;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;
import dev.athanor.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs of segments the archive removed from hot storage are read from the archived copy the
 * catalog names; a copy in a class that needs a restore starts one and reports it.
 */
class ArchivedBlobReadTest {

    @TempDir
    Path tmp;

    private final IndexTestData data = PgStores.data();
    private final MutableClock clock = new MutableClock();
    private FilesystemObjectStore objects;
    private Restores restores;
    private SimpleMeterRegistry registry;
    private BlobStore blobs;
    private long run;
    private IndexTestData.RawSegment segment;
    private String path;

    /** For stores in tests that never meet an archived segment. */
    /** No ingest replica holds any segment (a single machine whose hot root is read directly). */
    static SegmentSource noReplica() {
        return (segment, offset, length) -> {
            throw new java.nio.file.NoSuchFileException(segment, null, "no ingest replica in this test");
        };
    }

    static ArchivedSegments noArchive() {
        return new ArchivedSegments(PgStores.jdbc(), () -> {
            throw new IllegalStateException("no archive store in this test");
        }, "primary", null);
    }

    @BeforeEach
    void setUp() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("hot"));
        // The cold tier needs a 3 h restore, like S3 Glacier.
        objects = new FilesystemObjectStore(Files.createDirectories(tmp.resolve("archive")),
                Optional.of(Duration.ofHours(3)), clock);
        registry = new SimpleMeterRegistry();
        restores = new Restores(PgStores.jdbc(), () -> objects, Duration.ofDays(2),
                new RestoreMetrics(registry, PgStores.jdbc()));
        ArchivedSegments archived = new ArchivedSegments(PgStores.jdbc(), () -> objects, "primary", restores);
        blobs = new PgBlobStore(PgStores.jdbc(), new RawSegmentReader(hot, noReplica(), archived));
        long experiment = data.experiment(IndexTestData.unique("archived"));
        run = data.run(experiment, "run");
        path = "exp-" + experiment + "/run/events.out.tfevents.1.test";
        segment = data.rawSegment(run, hot, path, List.of(BlobEvents.legacyImage("img", 1, BlobEvents.PNG),
                BlobEvents.graph(0)));
    }

    /** Does what archive-service does: a verified copy under the prefix, then the hot file goes. */
    private long archive(StorageTier tier) throws Exception {
        String key = "athanor/" + path;
        Crc32c.Digest digest = Crc32c.of(segment.file());
        objects.put(key, segment.file(), digest.size(), digest.crc32c(), tier);
        return data.archived(run, segment, "primary", key, tier.name(), digest.crc32c());
    }

    private SeriesInfo image() {
        long id = data.series(run, "img", "images", 3);
        data.blobPoint(id, 1, 1.0, segment.id(), segment.offsets().get(0), segment.lengths().get(0),
                new int[] {1, 1, BlobEvents.PNG.length});
        return new SeriesInfo(id, run, "run", "img", "images", 3, null);
    }

    private byte[] png(SeriesInfo info) {
        BlobSequenceRef ref = blobs.at(info.seriesId(), 1).orElseThrow();
        return blobs.blob(info, ref, 2);
    }

    @Test
    void aWarmArchivedSegmentIsReadFromItsCopy() throws Exception {
        SeriesInfo img = image();
        archive(StorageTier.WARM);
        assertThat(segment.file()).doesNotExist();
        assertThat(blobs.at(img.seriesId(), 1).orElseThrow().hotDeleted()).isTrue();
        assertThat(png(img)).isEqualTo(BlobEvents.PNG);
    }

    @Test
    void aHotFileRemovedAfterTheIndexWasReadFallsBackToTheArchive() throws Exception {
        SeriesInfo img = image();
        BlobSequenceRef before = blobs.at(img.seriesId(), 1).orElseThrow();
        archive(StorageTier.WARM);
        // The reference still says "hot": the reader finds the file gone and asks the catalog.
        assertThat(before.hotDeleted()).isFalse();
        assertThat(blobs.blob(img, before, 2)).isEqualTo(BlobEvents.PNG);
    }

    @Test
    void withoutAVerifiedCopyTheSegmentIsUnavailableAndSaysWhy() throws Exception {
        SeriesInfo img = image();
        Files.delete(segment.file());
        assertThatThrownBy(() -> png(img)).isInstanceOf(RawDataUnavailableException.class)
                .hasMessageContaining("no verified archived copy");
    }

    @Test
    void aColdCopyStartsARestoreAndIsReadOnceItIsDone() throws Exception {
        SeriesInfo img = image();
        archive(StorageTier.COLD);
        assertThatThrownBy(() -> png(img)).isInstanceOfSatisfying(RestoringException.class, e -> {
            assertThat(e.status().state()).isEqualTo("RESTORING");
            assertThat(e.status().statusUrl()).isEqualTo("/api/v1/runs/" + run + "/archive/segments/" + segment.id());
        });
        // A second read while it runs does not start another restore.
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> png(img)).isInstanceOf(RestoringException.class);
        ArchivedSegments.ArchivedCopy copy = new ArchivedSegments(PgStores.jdbc(), () -> objects, "primary", restores)
                .copyOf(segment.id()).orElseThrow();
        assertThat(restores.status(copy).state()).isEqualTo("RESTORING");
        assertThat(registry.get("athanor.archive.restores.requested").tag("outcome", "started").counter().count())
                .as("one restore asked of the store, not one per read").isEqualTo(1);
        assertThat(registry.get("athanor.archive.restores.requested.bytes").counter().count()).isEqualTo(copy.size());
        assertThat(registry.get("athanor.archive.restores.in.progress").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("athanor.archive.restores.completed").counter().count()).isZero();

        clock.advance(Duration.ofHours(2));
        assertThat(restores.status(copy).state()).isEqualTo("RESTORED");
        assertThat(restores.status(copy).readableUntil()).isNotNull();
        assertThat(png(img)).isEqualTo(BlobEvents.PNG);
        assertThat(registry.get("athanor.archive.restores.completed").counter().count())
                .as("counted once, however often the finished restore is checked").isEqualTo(1);
        assertThat(registry.get("athanor.archive.restore.duration").timer().count()).isEqualTo(1);

        // Two days later the restored copy has expired again.
        clock.advance(Duration.ofDays(2));
        data.execute("UPDATE archive_restore SET readable_until = now() - interval '1 second' WHERE object_id = ?",
                copy.objectId());
        assertThat(restores.status(copy).state()).isEqualTo("EXPIRED");
        assertThatThrownBy(() -> png(img)).isInstanceOf(RestoringException.class);
    }

    @Test
    void aStoreThatCannotRestoreReportsAFailedRestore() throws Exception {
        SeriesInfo img = image();
        archive(StorageTier.COLD);
        Restores failing = new Restores(PgStores.jdbc(), () -> new NoRestoreStore(objects), Duration.ofDays(1),
                new RestoreMetrics(registry, PgStores.jdbc()));
        ArchivedSegments archived = new ArchivedSegments(PgStores.jdbc(), () -> new NoRestoreStore(objects), "primary",
                failing);
        BlobStore store = new PgBlobStore(PgStores.jdbc(), new RawSegmentReader(tmp.resolve("hot"), noReplica(), archived));
        BlobSequenceRef ref = store.at(img.seriesId(), 1).orElseThrow();
        assertThatThrownBy(() -> store.blob(img, ref, 2)).isInstanceOfSatisfying(RestoringException.class, e -> {
            assertThat(e.status().state()).isEqualTo("FAILED");
            assertThat(e.status().lastError()).contains("UNSUPPORTED").contains("RestoreObject");
        });
        assertThat(registry.get("athanor.archive.restores.requested").tag("outcome", "failed").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("athanor.archive.restores.requested").tag("outcome", "started").counter()).isNull();
    }

    /** The filesystem store, except that it refuses restores the way s3proxy does (no RestoreObject). */
    private static final class NoRestoreStore extends ForwardingObjectStore {
        NoRestoreStore(FilesystemObjectStore delegate) {
            super(delegate);
        }

        @Override
        public Readability requestRestore(String key, Duration keepFor) throws StoreException {
            throw new StoreException(StoreException.Reason.UNSUPPORTED, "restoring " + key
                    + ": the server does not implement RestoreObject");
        }

        /** The test closes the filesystem store itself. */
        @Override
        public void close() {
        }
    }
}
