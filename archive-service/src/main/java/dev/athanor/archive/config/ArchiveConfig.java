package dev.athanor.archive.config;

import dev.athanor.archive.store.s3.S3Settings;
import dev.athanor.archive.tiering.VerifyMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * archive-service settings. Every key can be set by its environment variable: upper-case it and
 * replace '.' and '-' with '_' ({@code athanor.archive.s3.bucket} → {@code ATHANOR_ARCHIVE_S3_BUCKET}).
 * Secrets (S3 keys, a GCS key file) come from the environment only.
 */
@ConfigMapping(prefix = "athanor.archive")
public interface ArchiveConfig {

    Hot hot();

    Store store();

    Filesystem filesystem();

    S3 s3();

    Gcs gcs();

    Tiering tiering();

    Replication replication();

    Scrub scrub();

    /**
     * The destinations' stores, declared here so their keys are known; StoreConfig.replica reads
     * them with the primary's rules and defaults.
     */
    Map<String, Replica> replicas();

    /** A destination's store: the primary's groups under {@code athanor.archive.replicas.<name>.}. */
    interface Replica {
        Store store();

        Optional<Filesystem> filesystem();

        Optional<S3> s3();

        Optional<Gcs> gcs();
    }

    /**
     * Named replication destinations. Each name's store is configured like the primary under
     * {@code athanor.archive.replicas.<name>.} (store.kind, store.prefix, filesystem.root, s3.*, gcs.*).
     */
    interface Replication {
        /** Destination names, comma-separated; empty: no replication. */
        Optional<List<String>> destinations();

        /** Where primary objects are downloaded before they are copied to a destination. */
        Optional<Path> scratch();
    }

    /** The ingest raw log this worker can see. */
    interface Hot {
        /** The ingest hot root (raw_segment.relative_path resolves under it). */
        Path root();

        /** Only segments written by this ingest node (raw_segment.ingest_node); empty: all. */
        Optional<String> node();

        /** Remove hot files once their copy is verified (runs that are no longer RUNNING). */
        @WithDefault("true")
        boolean deleteAfterVerify();

        /** Keep a hot file this long after its copy was verified. */
        @WithDefault("0s")
        Duration keepFor();
    }

    interface Store {
        enum Kind { FILESYSTEM, S3, GCS }

        @WithDefault("filesystem")
        Kind kind();

        /** Name of this store in the catalog (archive_object.store). */
        @WithDefault("primary")
        String name();

        /** Folder in the bucket above <project>/<experiment>/<run>/…; may be empty. */
        @WithDefault("athanor")
        String prefix();
    }

    interface Filesystem {
        Path root();

        /** When set, the cold tier behaves like S3 Glacier: reads need a restore that takes this long. */
        Optional<Duration> coldRestoreTime();
    }

    interface S3 {
        /** For S3-compatible stores (MinIO, Ceph…); empty for AWS. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        @WithDefault("false")
        boolean pathStyle();

        /** Static credentials; empty uses the AWS default chain (IRSA, environment, profile). */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        @WithDefault("none")
        S3Settings.ServerSideEncryption sse();

        Optional<String> kmsKeyId();

        @WithDefault("STANDARD")
        String warmClass();

        /** GLACIER_IR stays readable without a restore (restores are not implemented yet). */
        @WithDefault("GLACIER_IR")
        String coldClass();

        @WithDefault("16M")
        MemorySize multipartThreshold();

        @WithDefault("8M")
        MemorySize partSize();

        /** Retrieval tier of restores from GLACIER / DEEP_ARCHIVE: Expedited, Standard or Bulk. */
        @WithDefault("Standard")
        String restoreTier();
    }

    interface Gcs {
        Optional<String> bucket();

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
        MemorySize uploadChunk();
    }

    interface Tiering {
        @WithDefault("true")
        boolean enabled();

        /** How often a pass runs (the scheduler reads this key). */
        @WithDefault("60s")
        Duration interval();

        /** Wait after start-up before the first pass (the scheduler reads this key). */
        @WithDefault("10s")
        Duration initialDelay();

        @WithDefault("100")
        int batchSize();

        /** A sealed segment waits this long before it is copied. */
        @WithDefault("0s")
        Duration minSealedAge();

        /** Move copies of runs that ended this long ago to the cold tier; empty: never. */
        Optional<Duration> coldAfter();

        @WithDefault("auto")
        VerifyMode verify();

        /** First wait after a failed segment; doubles per attempt up to retry-max. */
        @WithDefault("30s")
        Duration retryBase();

        @WithDefault("1h")
        Duration retryMax();

        /** First wait after a whole pass failed (store or database unusable); doubles up to pass-backoff-max. */
        @WithDefault("30s")
        Duration passBackoffBase();

        @WithDefault("10m")
        Duration passBackoffMax();
    }

    /** Reading archived and replicated copies again on a schedule (docs/archive.md#the-scrub-v1_5_50). */
    interface Scrub {
        @WithDefault("true")
        boolean enabled();

        /** How often a scrub step runs (the scheduler reads this key). */
        @WithDefault("10m")
        Duration interval();

        /** Wait after start-up before the first step (the scheduler reads this key). */
        @WithDefault("2m")
        Duration initialDelay();

        /** A copy is read again once its last check is this old. */
        @WithDefault("30d")
        Duration every();

        /** At most this many copies per step. */
        @WithDefault("100")
        int batchSize();

        /** A step stops after reading this many bytes. */
        @WithDefault("1G")
        MemorySize batchBytes();

        /** read-back reads every byte; auto trusts a CRC32C the store reports (cheaper, proves less). */
        @WithDefault("read-back")
        VerifyMode verify();
    }
}
