package dev.athanor.archive.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.ObjectStoreContract;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.store.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real S3 API server (s3proxy in a child JVM), through the AWS SDK v2. */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static final String BUCKET = "athanor-contract";
    private static S3ObjectStore store;
    private static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        S3ProxyServer server = S3ProxyServer.instance();
        server.createBucket(BUCKET);
        store = new S3ObjectStore(server.settings(BUCKET), List.of(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request().getClass().getSimpleName());
            }
        }));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected boolean presignSupported() {
        return true;
    }

    @Test
    void largeUploadsGoUpInPartsAndSmallOnesInOnePut() throws Exception {
        requests.clear();
        byte[] content = bytes(12 * 1024 * 1024);
        put("multipart/obj", content);
        assertThat(requests).contains("CreateMultipartUploadRequest", "CompleteMultipartUploadRequest")
                .filteredOn("UploadPartRequest"::equals).hasSize(3);

        requests.clear();
        put("single/obj", bytes(1000));
        assertThat(requests).contains("PutObjectRequest").doesNotContain("CreateMultipartUploadRequest");
    }

    @Test
    void aMissingBucketIsAClearErrorAndNothingIsWritten() throws Exception {
        try (S3ObjectStore missing = new S3ObjectStore(S3ProxyServer.instance().settings("no-such-bucket"))) {
            assertThatThrownBy(missing::checkAccess).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.BUCKET_NOT_FOUND))
                    .hasMessageContaining("no-such-bucket");
            Path source = file(bytes(10));
            Crc32c.Digest d = Crc32c.of(source);
            assertThatThrownBy(() -> missing.put("k", source, d.size(), d.crc32c(), StorageTier.WARM))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.BUCKET_NOT_FOUND));
        }
    }

    @Test
    void wrongCredentialsAreAClearError() throws Exception {
        try (S3ObjectStore wrong = new S3ObjectStore(S3ProxyServer.instance().settings(BUCKET, "not-the-secret"))) {
            assertThatThrownBy(wrong::checkAccess).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.ACCESS_DENIED))
                    .hasMessageContaining(BUCKET);
            Path source = file(bytes(10));
            Crc32c.Digest d = Crc32c.of(source);
            assertThatThrownBy(() -> wrong.put("k", source, d.size(), d.crc32c(), StorageTier.WARM))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.ACCESS_DENIED));
        }
        assertThat(store.head("k")).isEmpty();
    }

    @Test
    void aColdObjectReportsThatItNeedsARestoreAndS3ProxyCannotRestore() throws Exception {
        put("cold/obj", bytes(100));
        store.setTier("cold/obj", StorageTier.COLD);
        // The cold class here is DEEP_ARCHIVE (what s3proxy reports back) with no x-amz-restore header.
        assertThat(store.readability("cold/obj")).isEqualTo(Readability.NEEDS_RESTORE);
        put("warm/obj", bytes(10));
        assertThat(store.readability("warm/obj")).isEqualTo(Readability.READABLE);
        // s3proxy has no RestoreObject: the store says so instead of pretending a restore started.
        assertThatThrownBy(() -> store.requestRestore("cold/obj", java.time.Duration.ofDays(1)))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNSUPPORTED))
                .hasMessageContaining("RestoreObject");
    }
}
