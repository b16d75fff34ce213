package dev.athanor.archive.replication;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.testing.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** Replication from one S3 bucket to another (s3proxy in a child JVM). */
class S3ToS3ReplicationTest extends ReplicationScenarios {

    static final String PRIMARY = "athanor-primary-s3";
    static final String REPLICA = "athanor-replica-s3";

    @BeforeAll
    static void buckets() {
        S3ProxyServer.instance().createBucket(PRIMARY);
        S3ProxyServer.instance().createBucket(REPLICA);
    }

    @Override
    ObjectStore primaryStore(Path tmp) {
        return new S3ObjectStore(S3ProxyServer.instance().settings(PRIMARY));
    }

    @Override
    ObjectStore destinationStore(Path tmp) {
        return new S3ObjectStore(S3ProxyServer.instance().settings(REPLICA));
    }
}
