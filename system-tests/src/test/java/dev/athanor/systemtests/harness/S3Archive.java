package dev.athanor.systemtests.harness;

import dev.athanor.archive.store.testing.S3ProxyServer;
import java.util.List;
import java.util.Map;

/** A bucket of the shared s3proxy as the suite's archive store: its settings for every service, and its keys. */
public final class S3Archive {

    private final S3ProxyServer s3;
    private final String bucket;

    private S3Archive(S3ProxyServer s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Creates {@code bucket} in the shared s3proxy. */
    public static S3Archive bucket(String bucket) {
        S3ProxyServer s3 = S3ProxyServer.instance();
        s3.createBucket(bucket);
        return new S3Archive(s3, bucket);
    }

    /** The store settings (ATHANOR_ARCHIVE_STORE_* / _S3_*) that archive, query and ingest read alike. */
    public Map<String, String> environment() {
        return ArchiveServices.s3Store(s3, bucket, "ATHANOR_ARCHIVE_");
    }

    /** Every key in the bucket, read from s3proxy itself. */
    public List<String> keys() {
        return s3.adminClient().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key())
                .toList();
    }
}
