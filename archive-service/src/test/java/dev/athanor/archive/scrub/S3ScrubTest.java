package dev.athanor.archive.scrub;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/** The scrub over S3 buckets (s3proxy in a child JVM); damage is another client writing other bytes to the key. */
class S3ScrubTest extends ScrubScenarios {

    static final String PRIMARY = "athanor-scrub-primary";
    static final String REPLICA = "athanor-scrub-replica";

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

    @Override
    void changeInBucket(boolean inPrimary, String key, byte[] bytes) throws Exception {
        Path file = Files.write(tmp.resolve("other-bytes-" + UUID.randomUUID()), bytes);
        Crc32c.Digest d = Crc32c.of(bytes);
        try (ObjectStore other = new S3ObjectStore(S3ProxyServer.instance().settings(inPrimary ? PRIMARY : REPLICA))) {
            other.put(key, file, d.size(), d.crc32c(), StorageTier.WARM);
        }
    }
}
