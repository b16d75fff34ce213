package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames of archived copies, read from a real (filesystem) object store; a map stands in for the catalog. */
class ArchivedSegmentSourceTest extends SegmentSourceContract {

    @TempDir
    Path tmp;
    FilesystemObjectStore store;
    final Map<String, ArchivedCopies.Copy> catalog = new HashMap<>();

    @BeforeEach
    void openStore() throws IOException {
        store = new FilesystemObjectStore(Files.createDirectories(tmp.resolve("bucket")));
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Override
    void store(String segment, byte[] bytes) throws IOException {
        String key = "athanor/" + segment;
        Path file = tmp.resolve("upload");
        Files.write(file, bytes);
        Crc32c.Digest digest = Crc32c.of(file);
        store.put(key, file, digest.size(), digest.crc32c(), StorageTier.WARM);
        catalog.put(segment, new ArchivedCopies.Copy(key, bytes.length));
    }

    @Override
    SegmentSource source() {
        return new ArchivedSegmentSource(() -> store, segment -> {
            ArchivedCopies.Copy copy = catalog.get(segment);
            if (copy == null) {
                throw new NoSuchFileException(segment, null, "no verified archived copy");
            }
            return copy;
        });
    }

    @Test
    void corruptionNamesTheArchivedObject() throws IOException {
        byte[] bytes = segmentBytes();
        bytes[bytes.length - 1] ^= 0x01;  // the second frame's payload CRC
        store(SEGMENT, bytes);
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, SECOND_AT, SECOND.length))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("archived copy athanor/" + SEGMENT);
    }
}
