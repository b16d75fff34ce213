package dev.athanor.archive.store.s3;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectKeys;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.SourceCheck;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;

/**
 * Objects in one S3 bucket (AWS or any S3-compatible server). Uploads go through the transfer
 * manager over the SDK's multipart async client (parts above the threshold, one PUT below);
 * reads, listings and deletes use the plain synchronous client.
 */
public final class S3ObjectStore implements ObjectStore {

    /** Parts of a storage-class change (server-side copies; S3 allows up to 5 GiB each). */
    private static final long COPY_PART_BYTES = 1L << 30;

    private final S3Settings settings;
    private final AwsCredentialsProvider credentials;
    private final S3Client client;
    private final S3AsyncClient asyncClient;
    private final S3TransferManager transfers;
    private final S3Presigner presigner;

    public S3ObjectStore(S3Settings settings) {
        this(settings, List.of());
    }

    /** With interceptors on every SDK call (tests observe which requests were made). */
    public S3ObjectStore(S3Settings settings, List<ExecutionInterceptor> interceptors) {
        this.settings = settings;
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .executionInterceptors(interceptors).build();
        this.credentials = settings.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                        settings.secretAccessKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(settings.region());
        var sync = S3Client.builder().region(region).credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle()).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(overrides);
        var async = S3AsyncClient.builder().region(region).credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle()).httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(overrides)
                .multipartEnabled(true)
                .multipartConfiguration(MultipartConfiguration.builder()
                        .thresholdInBytes(settings.multipartThresholdBytes())
                        .minimumPartSizeInBytes(settings.partSizeBytes())
                        .build());
        var presign = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        settings.endpoint().ifPresent(endpoint -> {
            sync.endpointOverride(endpoint);
            async.endpointOverride(endpoint);
            presign.endpointOverride(endpoint);
        });
        this.client = sync.build();
        this.asyncClient = async.build();
        this.transfers = S3TransferManager.builder().s3Client(asyncClient).build();
        this.presigner = presign.build();
    }

    @Override
    public String location() {
        return "s3://" + settings.bucket() + settings.endpoint().map(e -> " at " + e).orElse("");
    }

    @Override
    public URI uri(String key) throws StoreException {
        return ObjectKeys.bucketUri("s3", settings.bucket(), key);
    }

    @Override
    public void checkAccess() throws StoreException {
        try {
            client.headBucket(b -> b.bucket(settings.bucket()));
        } catch (SdkException e) {
            throw translate("checking bucket access", null, e);
        }
    }

    @Override
    public ObjectInfo put(String key, Path source, long expectedSize, long expectedCrc32c, StorageTier tier)
            throws StoreException {
        SourceCheck.beforePut(key, source, expectedSize, expectedCrc32c);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .storageClass(storageClass(tier)).checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        if (expectedSize < settings.multipartThresholdBytes()) {
            // One PUT: hand S3 the checksum we expect, so the server refuses bytes that differ.
            request.checksumCRC32C(Crc32c.toBase64(expectedCrc32c));
        }
        applyEncryption(request);
        try {
            transfers.uploadFile(UploadFileRequest.builder().putObjectRequest(request.build()).source(source).build())
                    .completionFuture().join();
        } catch (CompletionException | SdkException e) {
            throw translate("uploading " + source, key, e);
        }
        return SourceCheck.afterPut(this, key);
    }

    private void applyEncryption(PutObjectRequest.Builder request) {
        switch (settings.sse()) {
            case AES256 -> request.serverSideEncryption(ServerSideEncryption.AES256);
            case KMS -> {
                request.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
            }
            case NONE -> {
            }
        }
    }

    @Override
    public InputStream get(String key) throws StoreException {
        ObjectKeys.check(key);
        try {
            return client.getObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw translate("reading", key, e);
        }
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws StoreException {
        ObjectKeys.check(key);
        if (offset < 0 || length < 0) {
            throw new StoreException(StoreException.Reason.INVALID_RANGE, "range [" + offset + ", +" + length + ") of " + key);
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try {
            return client.getObject(b -> b.bucket(settings.bucket()).key(key).range(range));
        } catch (SdkException e) {
            throw translate("reading " + range + " of", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StoreException {
        ObjectKeys.check(key);
        try {
            HeadObjectResponse r = client.headObject(b -> b.bucket(settings.bucket()).key(key)
                    .checksumMode(ChecksumMode.ENABLED));
            return Optional.of(new ObjectInfo(key, r.contentLength(), fullObjectCrc32c(r), tierOf(r.storageClassAsString())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return Optional.empty();
            }
            throw translate("inspecting", key, e);
        } catch (SdkException e) {
            throw translate("inspecting", key, e);
        }
    }

    /** Only a whole-object CRC32C proves the bytes; a multipart "checksum of checksums" does not. */
    private static OptionalLong fullObjectCrc32c(HeadObjectResponse r) {
        String value = r.checksumCRC32C();
        if (value == null || value.contains("-") || r.checksumType() == ChecksumType.COMPOSITE) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Crc32c.fromBase64(value));
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StoreException {
        ObjectKeys.checkPrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
                out.add(new ObjectInfo(o.key(), o.size(), OptionalLong.empty(), tierOf(o.storageClassAsString())));
            }
        } catch (SdkException e) {
            throw translate("listing prefix '" + prefix + "' of", null, e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) throws StoreException {
        ObjectKeys.check(key);
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            // already gone
        } catch (SdkException e) {
            throw translate("deleting", key, e);
        }
    }

    @Override
    public void setTier(String key, StorageTier tier) throws StoreException {
        ObjectKeys.check(key);
        HeadObjectResponse current;
        try {
            current = client.headObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw translate("changing the storage class of", key, e);
        }
        // The class changes by copying the object onto itself. A multipart copy (rather than one
        // CopyObject) works for objects over 5 GB and on S3-compatible servers that ignore the
        // class of a plain self-copy; the object's own headers are carried over explicitly.
        long size = current.contentLength();
        String uploadId = null;
        try {
            if (size == 0) {
                PutObjectRequest.Builder empty = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                        .storageClass(storageClass(tier)).metadata(current.metadata());
                if (current.contentType() != null) {
                    empty.contentType(current.contentType());
                }
                applyEncryption(empty);
                client.putObject(empty.build(), RequestBody.empty());
                return;
            }
            CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                    .bucket(settings.bucket()).key(key).storageClass(storageClass(tier)).metadata(current.metadata());
            if (current.contentType() != null) {
                create.contentType(current.contentType());
            }
            switch (settings.sse()) {
                case AES256 -> create.serverSideEncryption(ServerSideEncryption.AES256);
                case KMS -> {
                    create.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                    settings.kmsKeyId().ifPresent(create::ssekmsKeyId);
                }
                case NONE -> {
                }
            }
            String id = client.createMultipartUpload(create.build()).uploadId();
            uploadId = id;
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long offset = 0; offset < size; offset += COPY_PART_BYTES, partNumber++) {
                long last = Math.min(size, offset + COPY_PART_BYTES) - 1;
                int number = partNumber;
                String range = "bytes=" + offset + "-" + last;
                String etag = client.uploadPartCopy(b -> b.sourceBucket(settings.bucket()).sourceKey(key)
                        .destinationBucket(settings.bucket()).destinationKey(key).uploadId(id)
                        .partNumber(number).copySourceRange(range).copySourceIfMatch(current.eTag()))
                        .copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(id)
                    .multipartUpload(m -> m.parts(parts)));
            uploadId = null;
        } catch (SdkException e) {
            throw translate("changing the storage class of", key, e);
        } finally {
            if (uploadId != null) {
                String id = uploadId;
                try {
                    client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(id));
                } catch (SdkException ignored) {
                    // the bucket's lifecycle rule for incomplete uploads removes it later
                }
            }
        }
    }

    @Override
    public Optional<URI> presignGet(String key, Duration validFor) throws StoreException {
        ObjectKeys.check(key);
        try {
            var presigned = presigner.presignGetObject(r -> r.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(key)));
            return Optional.of(presigned.url().toURI());
        } catch (SdkException | URISyntaxException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot presign " + key + " in " + location() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        transfers.close();
        asyncClient.close();
        client.close();
        presigner.close();
    }

    // ------------------------------------------------------------------ restores

    @Override
    public Readability readability(String key) throws StoreException {
        ObjectKeys.check(key);
        try {
            HeadObjectResponse r = client.headObject(b -> b.bucket(settings.bucket()).key(key));
            return S3Restores.readability(r.storageClassAsString(), r.archiveStatusAsString(), r.restore());
        } catch (SdkException e) {
            throw translate("asking whether it can be read:", key, e);
        }
    }

    @Override
    public Readability requestRestore(String key, Duration keepFor) throws StoreException {
        Readability now = readability(key);
        if (now.state() != Readability.State.NEEDS_RESTORE) {
            return now;
        }
        int days = (int) Math.max(1, (keepFor.toHours() + 23) / 24);
        try {
            client.restoreObject(b -> b.bucket(settings.bucket()).key(key).restoreRequest(rr -> rr.days(days)
                    .glacierJobParameters(g -> g.tier(settings.restoreTier()))));
        } catch (S3Exception e) {
            if ("RestoreAlreadyInProgress".equals(errorCode(e))) {
                return Readability.RESTORING;
            }
            if (e.statusCode() == 501 || "NotImplemented".equals(errorCode(e))) {
                throw new StoreException(StoreException.Reason.UNSUPPORTED, "restoring " + key + " in " + location()
                        + ": the server does not implement RestoreObject", e);
            }
            throw translate("restoring", key, e);
        } catch (SdkException e) {
            throw translate("restoring", key, e);
        }
        return Readability.RESTORING;
    }

    // ------------------------------------------------------------------ tiers and errors

    private String storageClass(StorageTier tier) {
        return tier == StorageTier.COLD ? settings.coldClass() : settings.warmClass();
    }

    private StorageTier tierOf(String storageClass) {
        // S3 omits the class for STANDARD objects.
        if (storageClass != null && storageClass.equalsIgnoreCase(settings.coldClass())
                && !settings.coldClass().equalsIgnoreCase(settings.warmClass())) {
            return StorageTier.COLD;
        }
        return StorageTier.WARM;
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** Maps SDK failures to reasons, naming the bucket, endpoint and key. */
    StoreException translate(String action, String key, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof StoreException se) {
            return se;
        }
        String where = action + " " + (key == null ? "" : key + " in ") + location();
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            int status = s3.statusCode();
            String detail = where + ": " + (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
                    + (s3.awsErrorDetails() != null && s3.awsErrorDetails().errorMessage() != null
                    ? " " + s3.awsErrorDetails().errorMessage() : "");
            if ("NoSuchBucket".equals(code) || (key == null && status == 404)) {
                return new StoreException(StoreException.Reason.BUCKET_NOT_FOUND,
                        "bucket '" + settings.bucket() + "' does not exist: " + detail, s3);
            }
            if (status == 404 || "NoSuchKey".equals(code)) {
                return new StoreException(StoreException.Reason.NOT_FOUND, detail, s3);
            }
            if (status == 401 || status == 403 || "InvalidAccessKeyId".equals(code)
                    || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
                return new StoreException(StoreException.Reason.ACCESS_DENIED,
                        "credentials cannot use bucket '" + settings.bucket() + "': " + detail, s3);
            }
            if ("InvalidObjectState".equals(code)) {
                return new StoreException(StoreException.Reason.NEEDS_RESTORE, detail, s3);
            }
            if ("BadDigest".equals(code) || "InvalidDigest".equals(code) || "XAmzContentChecksumMismatch".equals(code)
                    || "InvalidChecksum".equals(code)) {
                return new StoreException(StoreException.Reason.CHECKSUM_MISMATCH, detail, s3);
            }
            if (status == 416 || "InvalidRange".equals(code)) {
                return new StoreException(StoreException.Reason.INVALID_RANGE, detail, s3);
            }
            return new StoreException(StoreException.Reason.UNAVAILABLE, detail, s3);
        }
        if (e instanceof SdkClientException) {
            return new StoreException(StoreException.Reason.UNAVAILABLE, where + ": " + e.getMessage(), e);
        }
        return new StoreException(StoreException.Reason.UNAVAILABLE, where + ": " + e, e);
    }
}
