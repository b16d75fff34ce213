package dev.athanor.archive.replication;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Replication from a filesystem store to another filesystem store. */
class FilesystemReplicationTest extends ReplicationScenarios {

    @Override
    ObjectStore primaryStore(Path tmp) throws Exception {
        return new FilesystemObjectStore(Files.createDirectories(tmp.resolve("primary")));
    }

    @Override
    ObjectStore destinationStore(Path tmp) throws Exception {
        return new FilesystemObjectStore(Files.createDirectories(tmp.resolve("replica")));
    }
}
