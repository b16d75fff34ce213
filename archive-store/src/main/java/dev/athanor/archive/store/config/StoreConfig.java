package dev.athanor.archive.store.config;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.store.gcs.GcsObjectStore;
import dev.athanor.archive.store.gcs.GcsSettings;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens the archive's object store from its {@link StoreSettings} (keys and defaults are written
 * there, once): archive-service writes through it, query-service and ingest-service read archived
 * segments through it. Checks what the settings alone cannot (a bucket the kind needs, sizes,
 * durations) and names the key, with its environment variable, when a value is wrong.
 */
public final class StoreConfig {

    public static final String PREFIX = StoreSettings.PREFIX + ".";

    public enum Kind { FILESYSTEM, S3, GCS }

    /** Where a replication destination's keys live: {@code athanor.archive.replicas.<name>.*}. */
    public static final String REPLICAS = PREFIX + "replicas.";

    private final StoreSettings settings;
    private final String prefix;
    private final String name;

    private StoreConfig(StoreSettings settings, String prefix, String name) {
        this.settings = settings;
        this.prefix = prefix;
        this.name = name;
    }

    /** The primary store, configured under {@code athanor.archive.}. */
    public static StoreConfig from(StoreSettings settings) {
        return new StoreConfig(settings, PREFIX, settings.store().name());
    }

    /**
     * A named replication destination, configured with the same keys as the primary store under
     * {@code athanor.archive.replicas.<name>.} (store.kind, store.prefix, filesystem.root, s3.bucket…).
     */
    public static StoreConfig replica(String name, StoreSettings settings) {
        checkReplicaName(name);
        return new StoreConfig(settings, REPLICAS + name + ".", name);
    }

    /** @throws IllegalStateException naming the setting when {@code name} cannot be a destination */
    private static void checkReplicaName(String name) {
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalStateException(PREFIX + "replication.destinations: '" + name
                    + "' is not a destination name (lower-case letters, digits, '-' and '_', at most 63)");
        }
    }

    /** Where a destination's keys live, without the trailing dot (for {@link StoreSettings#fromProperties}). */
    public static String replicaPrefix(String name) {
        return REPLICAS + name;
    }

    /** The store's name in the catalog ({@code archive_object.store}, {@code archive_replica.destination}). */
    public String name() {
        return name;
    }

    /** Folder in the bucket above {@code <project>/<experiment>/<run>/…}. */
    public String prefix() {
        return settings.store().prefix();
    }

    public Kind kind() {
        String kind = settings.store().kind();
        try {
            return Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(prefix + "store.kind must be filesystem, s3 or gcs, got '" + kind + "'");
        }
    }

    /** Opens the configured store; the caller closes it. */
    public ObjectStore open() {
        return switch (kind()) {
            case FILESYSTEM -> {
                Path root = settings.filesystem().root();
                try {
                    yield new FilesystemObjectStore(Files.createDirectories(root),
                            settings.filesystem().coldRestoreTime().map(v -> duration(prefix + "filesystem.cold-restore-time", v)),
                            Clock.systemUTC());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the archive root " + root, e);
                }
            }
            case S3 -> new S3ObjectStore(s3Settings());
            case GCS -> {
                requireGcsClient();
                StoreSettings.Gcs gcs = settings.gcs();
                Optional<Path> credentials = gcs.credentialsFile();
                try {
                    yield GcsObjectStore.connect(new GcsSettings(required(gcs.bucket(), "gcs.bucket", "gcs"),
                            gcs.projectId(), credentials, gcs.host(), gcs.warmClass(), gcs.coldClass(),
                            Math.toIntExact(bytes(prefix + "gcs.upload-chunk", gcs.uploadChunk()))));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the GCS credentials " + credentials.orElse(null), e);
                }
            }
        };
    }

    /** The services and the cli carry the GCS client; a program built without it says so instead of failing to link. */
    private static void requireGcsClient() {
        try {
            Class.forName("com.google.cloud.storage.Storage", false, StoreConfig.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(PREFIX + "store.kind=gcs: this program is built without the GCS client;"
                    + " archive-service, query-service and ingest-service read a GCS archive");
        }
    }

    public S3Settings s3Settings() {
        StoreSettings.S3 s3 = settings.s3();
        return new S3Settings(s3.endpoint(), s3.region(), required(s3.bucket(), "s3.bucket", "s3"), s3.pathStyle(),
                s3.accessKeyId(), s3.secretAccessKey(), sse(s3.sse()), s3.kmsKeyId(), s3.warmClass(), s3.coldClass(),
                bytes(prefix + "s3.multipart-threshold", s3.multipartThreshold()),
                bytes(prefix + "s3.part-size", s3.partSize()), s3.restoreTier());
    }

    private S3Settings.ServerSideEncryption sse(String value) {
        try {
            return S3Settings.ServerSideEncryption.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(prefix + "s3.sse must be none, aes256 or kms, got '" + value + "'");
        }
    }

    private String required(Optional<String> value, String key, String kind) {
        return value.map(String::trim).filter(v -> !v.isEmpty()).orElseThrow(() -> new IllegalStateException(prefix
                + "store.kind=" + kind + " needs " + prefix + key + " ("
                + (prefix + key).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")"));
    }

    /** Sizes as Quarkus writes them: 16M, 512K, 1G or plain bytes; {@code key} is the full property name. */
    static long bytes(String key, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        try {
            return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " must be a size like 16M, got '" + value + "'");
        }
    }

    /** Durations as Quarkus writes them: 30s, 10m, 3h, 2d, 500ms or ISO-8601 (PT3H); {@code key} is the full property name. */
    static Duration duration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalStateException(key + " must be a duration like 30s, 3h or PT3H, got '" + value + "'");
        }
    }
}
