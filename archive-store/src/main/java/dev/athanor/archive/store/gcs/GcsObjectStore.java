package dev.athanor.archive.store.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectKeys;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.SourceCheck;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Objects in one GCS bucket. Uploads are resumable uploads carrying the expected CRC32C, so GCS
 * itself refuses bytes that differ; GCS reports every object's CRC32C, which verification uses.
 */
public final class GcsObjectStore implements ObjectStore {

    private final Storage storage;
    private final GcsSettings settings;

    public GcsObjectStore(Storage storage, GcsSettings settings) {
        this.storage = storage;
        this.settings = settings;
    }

    /** A store on Google's endpoint (or {@code settings.host()}) with the configured credentials. */
    public static GcsObjectStore connect(GcsSettings settings) throws IOException {
        StorageOptions.Builder options = StorageOptions.newBuilder();
        settings.projectId().ifPresent(options::setProjectId);
        settings.host().ifPresent(options::setHost);
        if (settings.credentialsFile().isPresent()) {
            try (InputStream in = Files.newInputStream(settings.credentialsFile().get())) {
                options.setCredentials(GoogleCredentials.fromStream(in));
            }
        }
        return new GcsObjectStore(options.build().getService(), settings);
    }

    @Override
    public String location() {
        return "gs://" + settings.bucket();
    }

    @Override
    public URI uri(String key) throws StoreException {
        return ObjectKeys.bucketUri("gs", settings.bucket(), key);
    }

    @Override
    public void checkAccess() throws StoreException {
        // Listing needs only the object permissions archiving needs anyway (a least-privilege
        // account may not be allowed to read the bucket's own metadata); a missing bucket is a 404.
        try {
            storage.list(settings.bucket(), Storage.BlobListOption.pageSize(1));
        } catch (StorageException e) {
            throw translate("checking bucket access", null, e);
        }
    }

    @Override
    public ObjectInfo put(String key, Path source, long expectedSize, long expectedCrc32c, StorageTier tier)
            throws StoreException {
        SourceCheck.beforePut(key, source, expectedSize, expectedCrc32c);
        BlobInfo info = BlobInfo.newBuilder(blobId(key))
                .setStorageClass(StorageClass.valueOfStrict(storageClass(tier)))
                .setCrc32c(Crc32c.toBase64(expectedCrc32c))
                .build();
        try {
            storage.createFrom(info, source, settings.uploadChunkBytes(), Storage.BlobWriteOption.crc32cMatch());
        } catch (StorageException e) {
            throw translate("uploading " + source + " to", key, e);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "uploading " + source + " to " + key + ": " + e, e);
        }
        return SourceCheck.afterPut(this, key);
    }

    @Override
    public InputStream get(String key) throws StoreException {
        requireExisting(key);
        return Channels.newInputStream(storage.reader(blobId(key)));
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws StoreException {
        ObjectInfo info = requireExisting(key);
        if (offset < 0 || length < 0 || offset >= info.size()) {
            throw new StoreException(StoreException.Reason.INVALID_RANGE,
                    "range [%d, +%d) is outside %s (%d bytes)".formatted(offset, length, key, info.size()));
        }
        try {
            ReadChannel reader = storage.reader(blobId(key));
            reader.seek(offset);
            reader.limit(Math.min(info.size(), offset + length));
            return Channels.newInputStream(reader);
        } catch (StorageException e) {
            throw translate("reading", key, e);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "reading " + key + ": " + e, e);
        }
    }

    private ObjectInfo requireExisting(String key) throws StoreException {
        return head(key).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                "no object " + key + " in " + location()));
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StoreException {
        ObjectKeys.check(key);
        try {
            Blob blob = storage.get(blobId(key));
            return Optional.ofNullable(blob).map(this::info);
        } catch (StorageException e) {
            throw translate("inspecting", key, e);
        }
    }

    private ObjectInfo info(BlobInfo blob) {
        OptionalLong crc = blob.getCrc32c() == null ? OptionalLong.empty() : OptionalLong.of(Crc32c.fromBase64(blob.getCrc32c()));
        return new ObjectInfo(blob.getName(), blob.getSize() == null ? 0 : blob.getSize(), crc, tierOf(blob.getStorageClass()));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StoreException {
        ObjectKeys.checkPrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        try {
            for (Blob blob : storage.list(settings.bucket(), Storage.BlobListOption.prefix(prefix)).iterateAll()) {
                if (blob.getName().startsWith(prefix) && !blob.isDirectory()) {
                    out.add(info(blob));
                }
            }
        } catch (StorageException e) {
            throw translate("listing prefix '" + prefix + "' of", null, e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) throws StoreException {
        ObjectKeys.check(key);
        try {
            storage.delete(blobId(key));
        } catch (StorageException e) {
            if (e.getCode() != 404) {
                throw translate("deleting", key, e);
            }
        }
    }

    @Override
    public void setTier(String key, StorageTier tier) throws StoreException {
        requireExisting(key);
        // GCS changes an object's class by rewriting it onto itself.
        BlobInfo target = BlobInfo.newBuilder(blobId(key)).setStorageClass(StorageClass.valueOfStrict(storageClass(tier))).build();
        try {
            storage.copy(Storage.CopyRequest.newBuilder().setSource(blobId(key)).setTarget(target).build()).getResult();
        } catch (StorageException e) {
            throw translate("changing the storage class of", key, e);
        }
    }

    @Override
    public Optional<URI> presignGet(String key, Duration validFor) throws StoreException {
        ObjectKeys.check(key);
        try {
            return Optional.of(storage.signUrl(BlobInfo.newBuilder(blobId(key)).build(), validFor.toSeconds(),
                    TimeUnit.SECONDS, Storage.SignUrlOption.withV4Signature()).toURI());
        } catch (IllegalStateException e) {
            // The credentials hold no private key to sign with (for example a user's ADC).
            return Optional.empty();
        } catch (URISyntaxException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot presign " + key + ": " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            storage.close();
        } catch (Exception e) {
            throw new IOException("closing the GCS client: " + e, e);
        }
    }

    // ------------------------------------------------------------------ tiers and errors

    private BlobId blobId(String key) {
        return BlobId.of(settings.bucket(), key);
    }

    private String storageClass(StorageTier tier) {
        return tier == StorageTier.COLD ? settings.coldClass() : settings.warmClass();
    }

    private StorageTier tierOf(StorageClass storageClass) {
        if (storageClass != null && storageClass.name().equalsIgnoreCase(settings.coldClass())
                && !settings.coldClass().equalsIgnoreCase(settings.warmClass())) {
            return StorageTier.COLD;
        }
        return StorageTier.WARM;
    }

    private StoreException translate(String action, String key, StorageException e) {
        String where = action + " " + (key == null ? "" : key + " in ") + location() + ": " + e.getMessage()
                + " (HTTP " + e.getCode() + ")";
        return switch (e.getCode()) {
            case 401, 403 -> new StoreException(StoreException.Reason.ACCESS_DENIED,
                    "credentials cannot use bucket '" + settings.bucket() + "': " + where, e);
            case 404 -> key == null
                    ? new StoreException(StoreException.Reason.BUCKET_NOT_FOUND, "bucket '" + settings.bucket() + "' does not exist: " + where, e)
                    : new StoreException(StoreException.Reason.NOT_FOUND, where, e);
            case 400 -> e.getMessage() != null && e.getMessage().toLowerCase().contains("crc32c")
                    ? new StoreException(StoreException.Reason.CHECKSUM_MISMATCH, where, e)
                    : new StoreException(StoreException.Reason.UNAVAILABLE, where, e);
            default -> new StoreException(StoreException.Reason.UNAVAILABLE, where, e);
        };
    }
}
