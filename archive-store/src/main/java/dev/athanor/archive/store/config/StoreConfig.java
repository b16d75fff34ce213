package dev.athanor.archive.store.config;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.store.gcs.GcsObjectStore;
import dev.athanor.archive.store.gcs.GcsSettings;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens the archive's object store from the {@code athanor.archive.*} properties, the same keys
 * (and defaults) in every service: archive-service writes through it, query-service and
 * ingest-service read archived segments through it. Each service passes its own config lookup
 * (MicroProfile Config in Quarkus; environment variables work as usual there).
 */
public final class StoreConfig {

    public static final String PREFIX = "athanor.archive.";

    public enum Kind { FILESYSTEM, S3, GCS }

    /** Where a replication destination's keys live: {@code athanor.archive.replicas.<name>.*}. */
    public static final String REPLICAS = PREFIX + "replicas.";

    private final Function<String, Optional<String>> lookup;
    private final String prefix;
    private final String defaultName;

    private StoreConfig(Function<String, Optional<String>> lookup, String prefix, String defaultName) {
        this.lookup = lookup;
        this.prefix = prefix;
        this.defaultName = defaultName;
    }

    /** @param lookup full property name to value (empty when unset) */
    public static StoreConfig from(Function<String, Optional<String>> lookup) {
        return new StoreConfig(lookup, PREFIX, "primary");
    }

    /**
     * A named replication destination, configured with the same keys as the primary store under
     * {@code athanor.archive.replicas.<name>.} (store.kind, store.prefix, filesystem.root, s3.bucket…).
     */
    public static StoreConfig replica(String name, Function<String, Optional<String>> lookup) {
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalStateException(PREFIX + "replication.destinations: '" + name
                    + "' is not a destination name (lower-case letters, digits, '-' and '_', at most 63)");
        }
        return new StoreConfig(lookup, REPLICAS + name + ".", name);
    }

    /** The store's name in the catalog ({@code archive_object.store}, {@code archive_replica.destination}). */
    public String name() {
        return prefix.equals(PREFIX) ? get("store.name").orElse(defaultName) : defaultName;
    }

    /** Folder in the bucket above {@code <project>/<experiment>/<run>/…}. */
    public String prefix() {
        return get("store.prefix").orElse("athanor");
    }

    public Kind kind() {
        String kind = get("store.kind").orElse("filesystem");
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
                Path root = Path.of(get("filesystem.root").orElse("./data/archive"));
                try {
                    yield new FilesystemObjectStore(Files.createDirectories(root),
                            get("filesystem.cold-restore-time").map(v -> duration("filesystem.cold-restore-time", v)),
                            Clock.systemUTC());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the archive root " + root, e);
                }
            }
            case S3 -> new S3ObjectStore(s3Settings());
            case GCS -> {
                requireGcsClient();
                Optional<Path> credentials = get("gcs.credentials-file").map(Path::of);
                try {
                    yield GcsObjectStore.connect(new GcsSettings(required("gcs.bucket", "gcs"), get("gcs.project-id"),
                            credentials, get("gcs.host"), get("gcs.warm-class").orElse("STANDARD"),
                            get("gcs.cold-class").orElse("ARCHIVE"),
                            Math.toIntExact(bytes("gcs.upload-chunk", get("gcs.upload-chunk").orElse("16M")))));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the GCS credentials " + credentials.orElse(null), e);
                }
            }
        };
    }

    /** The services carry the GCS client; a tool built without it (the cli) says so instead of failing to link. */
    private static void requireGcsClient() {
        try {
            Class.forName("com.google.cloud.storage.Storage", false, StoreConfig.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(PREFIX + "store.kind=gcs: this program is built without the GCS client;"
                    + " archive-service, query-service and ingest-service read a GCS archive");
        }
    }

    public S3Settings s3Settings() {
        return new S3Settings(get("s3.endpoint").map(URI::create), get("s3.region").orElse("us-east-1"),
                required("s3.bucket", "s3"), Boolean.parseBoolean(get("s3.path-style").orElse("false")),
                get("s3.access-key-id"), get("s3.secret-access-key"),
                S3Settings.ServerSideEncryption.valueOf(get("s3.sse").orElse("none").toUpperCase(Locale.ROOT)),
                get("s3.kms-key-id"), get("s3.warm-class").orElse("STANDARD"), get("s3.cold-class").orElse("GLACIER_IR"),
                bytes("s3.multipart-threshold", get("s3.multipart-threshold").orElse("16M")),
                bytes("s3.part-size", get("s3.part-size").orElse("8M")), get("s3.restore-tier").orElse("Standard"));
    }

    private Optional<String> get(String key) {
        return lookup.apply(prefix + key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private String required(String key, String kind) {
        return get(key).orElseThrow(() -> new IllegalStateException(prefix + "store.kind=" + kind + " needs " + prefix
                + key + " (" + (prefix + key).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")"));
    }

    /** Sizes as Quarkus writes them: 16M, 512K, 1G or plain bytes. */
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
            throw new IllegalStateException(PREFIX + key + " must be a size like 16M, got '" + value + "'");
        }
    }

    /** Durations as Quarkus writes them: 30s, 10m, 3h, 2d, 500ms or ISO-8601 (PT3H). */
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
            throw new IllegalStateException(PREFIX + key + " must be a duration like 30s, 3h or PT3H, got '" + value + "'");
        }
    }
}
