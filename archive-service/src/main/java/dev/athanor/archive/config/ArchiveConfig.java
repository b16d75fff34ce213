package dev.athanor.archive.config;

import dev.athanor.archive.store.config.StoreSettings;
import dev.athanor.archive.tiering.VerifyMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * archive-service settings: the primary store's (embedded {@link StoreSettings}, shared with
 * query- and ingest-service), the hot log it tiers from, tiering and replication. Every key can be
 * set by its environment variable: upper-case it and replace '.' and '-' with '_'
 * ({@code athanor.archive.s3.bucket} → {@code ATHANOR_ARCHIVE_S3_BUCKET}).
 * Secrets (S3 keys, a GCS key file) come from the environment only.
 */
@ConfigMapping(prefix = "athanor.archive")
public interface ArchiveConfig extends StoreSettings {

    Hot hot();

    Tiering tiering();

    Replication replication();

    Scrub scrub();

    /**
     * The destinations' stores: the primary's keys and defaults under
     * {@code athanor.archive.replicas.<name>.}; a destination without keys of its own gets the defaults.
     */
    @WithDefaults
    Map<String, StoreSettings> replicas();

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
