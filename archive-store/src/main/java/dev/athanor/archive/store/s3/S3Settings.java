package dev.athanor.archive.store.s3;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * How to reach one S3 bucket.
 *
 * @param endpoint        a custom endpoint for S3-compatible stores (MinIO, Ceph, s3proxy…); empty for AWS
 * @param pathStyle       address buckets as {@code endpoint/bucket/key} instead of a virtual host
 * @param accessKeyId     static credentials; when empty the SDK's default chain is used (IRSA, env, profile)
 * @param sse             server-side encryption: NONE, AES256 or KMS
 * @param kmsKeyId        the KMS key for {@code sse=KMS} (empty: the bucket's default key)
 * @param warmClass       S3 storage class of the warm tier (STANDARD, STANDARD_IA, INTELLIGENT_TIERING…)
 * @param coldClass       S3 storage class of the cold tier (GLACIER_IR, GLACIER, DEEP_ARCHIVE)
 * @param multipartThresholdBytes objects at least this large go up in parts through the transfer manager
 * @param partSizeBytes   size of each part (S3's minimum is 5 MiB)
 * @param restoreTier     retrieval tier of restores from GLACIER / DEEP_ARCHIVE: Expedited, Standard or Bulk
 */
public record S3Settings(Optional<URI> endpoint, String region, String bucket, boolean pathStyle,
                         Optional<String> accessKeyId, Optional<String> secretAccessKey, ServerSideEncryption sse,
                         Optional<String> kmsKeyId, String warmClass, String coldClass, long multipartThresholdBytes,
                         long partSizeBytes, String restoreTier) {

    public enum ServerSideEncryption { NONE, AES256, KMS }

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket is not set");
        }
        if (partSizeBytes < 5L * 1024 * 1024) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSizeBytes);
        }
        if (!List.of("Expedited", "Standard", "Bulk").contains(restoreTier)) {
            throw new IllegalArgumentException("S3 restore tier must be Expedited, Standard or Bulk, got " + restoreTier);
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("S3 static credentials need both an access key id and a secret access key");
        }
    }
}
