package dev.athanor.archive.store.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The archive's object store: its kind, prefix and each backend's keys, with their defaults. This
 * is the only place those keys and defaults are written: every service's {@code @ConfigMapping}
 * embeds it at {@value #PREFIX} (archive-service also under {@code athanor.archive.replicas.<name>}),
 * a program without Quarkus builds it with {@link #fromProperties}, and {@link StoreConfig} opens the
 * store from it.
 *
 * <p>Sizes (16M) and durations (3h, PT3H) are kept as written and parsed when the store is opened,
 * so a service that never opens the store (query-service without archived segments) never fails on
 * them, and the error names the key.
 */
public interface StoreSettings {

    /** Where the primary store's keys live. */
    String PREFIX = "athanor.archive";

    Store store();

    Filesystem filesystem();

    S3 s3();

    Gcs gcs();

    interface Store {
        /** filesystem, s3 or gcs. */
        @WithDefault("filesystem")
        String kind();

        /** Name of this store in the catalog (archive_object.store); a replica is named by its destination. */
        @WithDefault("primary")
        String name();

        /** Folder in the bucket above {@code <project>/<experiment>/<run>/…}. */
        @WithDefault("athanor")
        String prefix();
    }

    interface Filesystem {
        @WithDefault("./data/archive")
        Path root();

        /** When set, the cold tier behaves like S3 Glacier: reads need a restore that takes this long. */
        Optional<String> coldRestoreTime();
    }

    interface S3 {
        /** For S3-compatible stores (MinIO, Ceph, s3proxy…); empty for AWS. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        @WithDefault("false")
        boolean pathStyle();

        /** Static credentials; empty uses the AWS default chain (IRSA, environment, profile). */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        /** none, aes256 or kms. */
        @WithDefault("none")
        String sse();

        Optional<String> kmsKeyId();

        @WithDefault("STANDARD")
        String warmClass();

        /** GLACIER_IR stays readable without a restore. */
        @WithDefault("GLACIER_IR")
        String coldClass();

        @WithDefault("16M")
        String multipartThreshold();

        @WithDefault("8M")
        String partSize();

        /** Retrieval tier of restores from GLACIER / DEEP_ARCHIVE: Expedited, Standard or Bulk. */
        @WithDefault("Standard")
        String restoreTier();
    }

    interface Gcs {
        Optional<String> bucket();

        /** Empty: taken from the credentials or the environment. */
        Optional<String> projectId();

        /** A service-account JSON key; empty uses Application Default Credentials. */
        Optional<Path> credentialsFile();

        /** Another endpoint (an emulator); empty for Google. */
        Optional<String> host();

        @WithDefault("STANDARD")
        String warmClass();

        /** GCS Archive objects stay readable (with retrieval fees). */
        @WithDefault("ARCHIVE")
        String coldClass();

        @WithDefault("16M")
        String uploadChunk();
    }

    /**
     * For a program without Quarkus (the cli, tests): the settings under {@code prefix} (without a
     * trailing dot) of plain properties, with the same defaults as the services.
     */
    static StoreSettings fromProperties(Map<String, String> properties, String prefix) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "athanor archive settings", 100))
                .withMapping(StoreSettings.class, prefix)
                .build();
        return config.getConfigMapping(StoreSettings.class, prefix);
    }

    /** The primary store's settings ({@value #PREFIX}) of plain properties. */
    static StoreSettings fromProperties(Map<String, String> properties) {
        return fromProperties(properties, PREFIX);
    }
}
