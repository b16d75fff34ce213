package dev.athanor.archive.scrub;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** The scrub over filesystem stores; damage is written straight into the store's files (bit rot, a stray tool). */
class FilesystemScrubTest extends ScrubScenarios {

    @Override
    ObjectStore primaryStore(Path tmp) throws Exception {
        return new FilesystemObjectStore(Files.createDirectories(tmp.resolve("primary")));
    }

    @Override
    ObjectStore destinationStore(Path tmp) throws Exception {
        return new FilesystemObjectStore(Files.createDirectories(tmp.resolve("replica")));
    }

    @Override
    void changeInBucket(boolean inPrimary, String key, byte[] bytes) throws Exception {
        Path file = tmp.resolve(inPrimary ? "primary" : "replica").resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("the store keeps " + key + " elsewhere than " + file);
        }
        Files.write(file, bytes);
    }
}
