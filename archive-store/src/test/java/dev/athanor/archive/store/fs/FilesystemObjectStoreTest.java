package dev.athanor.archive.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.ObjectStoreContract;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilesystemObjectStoreTest extends ObjectStoreContract {

    private FilesystemObjectStore store;

    @BeforeEach
    void open() throws Exception {
        store = new FilesystemObjectStore(Files.createDirectories(tmp.resolve("archive")));
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected boolean presignSupported() {
        return false;
    }

    @Test
    void objectsAreFilesInTheLogdirLayoutAndHousekeepingNeverLooksLikeAnEventFile() throws Exception {
        String key = "athanor/proj/exp/run/events.out.tfevents.1700000000.node.00000000.athanor";
        put(key, bytes(100));
        store.setTier(key, StorageTier.COLD);

        assertThat(store.root().resolve(key)).isRegularFile().hasSize(100);
        try (Stream<Path> all = Files.walk(store.root())) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("tfevents"))).containsExactly(key.substring(key.lastIndexOf('/') + 1));
        }
        assertThat(store.list("")).extracting(o -> o.key()).containsExactly(key);
    }

    @Test
    void aFailedWriteLeavesNoPartialObjectAndStaleTemporariesAreSweptUp() throws Exception {
        Path source = file(bytes(10));
        Crc32c.Digest d = Crc32c.of(source);
        assertThatThrownBy(() -> store.put("a/b", source, d.size(), d.crc32c() + 1, StorageTier.WARM))
                .isInstanceOf(StoreException.class);
        assertThat(store.root().resolve("a/b")).doesNotExist();
        try (Stream<Path> tmpFiles = Files.list(store.root().resolve(".athanor-tmp"))) {
            assertThat(tmpFiles).isEmpty();
        }

        // A crash mid-write leaves a temporary behind; it is not an object and is removed later.
        Path leftover = Files.writeString(store.root().resolve(".athanor-tmp").resolve("dead.part"), "half");
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertThat(store.list("")).isEmpty();
        assertThat(store.removeStaleTemporaryFiles(Duration.ofHours(1))).isEqualTo(1);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void reservedFoldersAreNotKeys() {
        assertThatThrownBy(() -> store.head(".athanor-meta/x")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID_KEY));
    }

    @Test
    void aMissingRootIsAClearError() {
        FilesystemObjectStore missing = new FilesystemObjectStore(tmp.resolve("nope"));
        assertThatThrownBy(missing::checkAccess).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.BUCKET_NOT_FOUND)).hasMessageContaining("nope");
    }

    @Test
    void aColdTierThatNeedsRestoresBehavesLikeGlacier() throws Exception {
        MutableClock clock = new MutableClock();
        FilesystemObjectStore glacier = new FilesystemObjectStore(store.root(), Optional.of(Duration.ofHours(3)), clock);
        put("cold/obj", bytes(50));
        assertThat(glacier.readability("cold/obj")).isEqualTo(Readability.READABLE);
        glacier.setTier("cold/obj", StorageTier.COLD);

        assertThat(glacier.readability("cold/obj")).isEqualTo(Readability.NEEDS_RESTORE);
        assertThatThrownBy(() -> glacier.getRange("cold/obj", 0, 10)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NEEDS_RESTORE));
        assertThat(glacier.requestRestore("cold/obj", Duration.ofDays(1))).isEqualTo(Readability.RESTORING);
        // Asking again while it runs changes nothing.
        clock.advance(Duration.ofHours(1));
        assertThat(glacier.requestRestore("cold/obj", Duration.ofDays(1))).isEqualTo(Readability.RESTORING);
        assertThatThrownBy(() -> glacier.get("cold/obj")).isInstanceOf(StoreException.class);

        clock.advance(Duration.ofHours(2));
        Readability restored = glacier.readability("cold/obj");
        assertThat(restored.readable()).isTrue();
        assertThat(restored.readableUntil()).contains(clock.instant().plus(Duration.ofDays(1))
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        try (var in = glacier.getRange("cold/obj", 0, 50)) {
            assertThat(in.readAllBytes()).hasSize(50);
        }
        // The temporary copy expires; the object needs a new restore.
        clock.advance(Duration.ofDays(1));
        assertThat(glacier.readability("cold/obj")).isEqualTo(Readability.NEEDS_RESTORE);
        // The default store (no restore time) reads cold objects at once.
        assertThat(store.readability("cold/obj")).isEqualTo(Readability.READABLE);
    }
}
