package dev.athanor.archive.replication;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** Replication from a filesystem store to S3 (s3proxy in a child JVM). */
class FilesystemToS3ReplicationTest extends ReplicationScenarios {

    static final String BUCKET = "athanor-replica-fs";

    @BeforeAll
    static void bucket() {
        S3ProxyServer.instance().createBucket(BUCKET);
    }

    @Override
    ObjectStore primaryStore(Path tmp) throws Exception {
        return new FilesystemObjectStore(Files.createDirectories(tmp.resolve("primary")));
    }

    @Override
    ObjectStore destinationStore(Path tmp) {
        return new S3ObjectStore(S3ProxyServer.instance().settings(BUCKET));
    }
}
