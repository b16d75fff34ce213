package dev.athanor.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the ingest service can be tuned with. Defaults live in application.properties; every
 * key is overridable from the environment (ATHANOR_INGEST_HOT_ROOT for athanor.ingest.hot-root).
 */
@ConfigMapping(prefix = "athanor.ingest")
public interface IngestConfig {

    /** Root of the hot raw log: {@code <hot-root>/<project>/<experiment>/<run path>/}. */
    Path hotRoot();

    /** Names this replica in segment file names and raw_segment.ingest_node; defaults to the host name. */
    Optional<String> nodeName();

    Limits limits();

    Segments segments();

    Index index();

    Assets assets();

    Ownership ownership();

    Forward forward();

    Health health();

    OpenFiles openFiles();

    Connections connections();

    /** Idle gRPC connections are closed (HTTP: quarkus.http.idle-timeout); see GrpcConnectionLimits. */
    interface Connections {
        /** A gRPC connection with no call for this long is closed (GOAWAY); clients reconnect on their next call. */
        @WithDefault("PT5M")
        java.time.Duration maxIdle();

        /**
         * How long the server waits for the answer to its keepalive ping (sent after
         * quarkus.grpc.server.netty.keep-alive-time without reads) before it closes the connection.
         */
        @WithDefault("PT20S")
        java.time.Duration keepAliveTimeout();
    }

    /**
     * Files the run logs hold open (docs: ingest-service README, "Open files"): a live run costs
     * descriptors only while it writes.
     */
    interface OpenFiles {
        /**
         * Most files (journals, open segments) the run logs keep open at once; idle runs beyond it
         * are closed least recently used first and reopened by their next batch. Unset: a quarter of
         * the process's open-file limit (RLIMIT_NOFILE), at most 4096, so connections, PostgreSQL
         * and class loading keep the rest.
         */
        java.util.OptionalInt maxRunFiles();

        /** A run with no batch for this long closes its files whatever the count (a finished run holds none). */
        @WithDefault("PT30S")
        Duration idleClose();
    }

    /**
     * Load every class of the packaged application once, in the background after start
     * (ClassPreloader), so no event-loop thread can wait for a jar to be opened under
     * file-descriptor exhaustion. Costs tens of seconds of CPU after each start and the metaspace
     * of classes the replica might never use; off where starts are many and short (the
     * end-to-end tests) or where memory is tighter than descriptors.
     */
    @WithDefault("true")
    boolean preloadClasses();

    /** When readiness turns DOWN (and back UP by itself): the headroom a replica needs to take writes. */
    interface Health {
        /** Least free space on the hot root's filesystem, in bytes; below it every write would soon fail. */
        @WithDefault("268435456")
        long minFreeBytes();

        /**
         * Largest share of the process's open-file limit in use; above it readiness is DOWN and new
         * upload streams, runs and asset uploads are refused RESOURCE_EXHAUSTED.
         */
        @WithDefault("0.9")
        double maxOpenFilesShare();

        /**
         * How long the indexer may keep failing on a run (PostgreSQL down with work pending, a
         * refusal it cannot pass over) before readiness turns DOWN naming it.
         */
        @WithDefault("PT2M")
        Duration indexStallAfter();
    }

    /** Batches of runs another replica owns are forwarded to it (docs/architecture.md, "One owner per run"). */
    interface Forward {
        /**
         * How long connecting to the owner may take before the forwarded batches are answered
         * UNAVAILABLE naming the owner (a vanished pod's address may never answer).
         */
        @WithDefault("PT5S")
        Duration connectTimeout();
    }

    /** One owning replica per run (docs/architecture.md, "One owner per run"). */
    interface Ownership {
        /**
         * How long a run's lease lasts without renewal (renewed every third of it). A replica that
         * dies without draining holds its runs this long; this replica stops appending to a run
         * after 90 % of it without a successful renewal (PostgreSQL unreachable).
         */
        @WithDefault("PT30S")
        Duration leaseTtl();

        /**
         * host:port where other replicas and query-service reach this replica's gRPC, recorded in
         * each lease it holds. On Kubernetes the pod's stable name under the headless Service.
         */
        String advertisedAddress();
    }

    interface Assets {
        /** Largest asset file (plugin files such as profiler traces) stored; announced to clients. */
        @WithDefault("2147483648")
        long maxBytes();

        /** Largest data of one AssetChunk; announced to clients. Must stay below max-message-bytes. */
        @WithDefault("1048576")
        int maxChunkBytes();
    }

    interface Limits {
        /** Largest gRPC message accepted (also the server's max inbound message size). */
        @WithDefault("16777216")
        int maxMessageBytes();

        /** Largest single record payload. */
        @WithDefault("8388608")
        int maxRecordBytes();

        /** Suggested size of one RecordBatch (sum of payload bytes). */
        @WithDefault("4194304")
        int maxBatchBytes();

        /** Batches a client may have sent and not yet seen acknowledged, per stream. */
        @WithDefault("8")
        int maxInflightBatches();
    }

    interface Segments {
        /** A run's open segment is sealed and a new one started past this size. */
        @WithDefault("134217728")
        long maxBytes();

        /** ... or when it has been open this long. */
        @WithDefault("PT1H")
        Duration maxAge();
    }

    interface Index {
        /**
         * Bytes that may be durable in the raw log but not yet indexed, over all runs. Past it the
         * service stops reading from upload streams until the indexer catches up.
         */
        @WithDefault("268435456")
        long maxLagBytes();

        /** Scalar points per scalar_chunk row. */
        @WithDefault("1000")
        int chunkPoints();

        /** Raw-log bytes indexed in one PostgreSQL transaction at most. */
        @WithDefault("33554432")
        long maxTransactionBytes();

        /**
         * How long a draining replica (SIGTERM) keeps indexing what its raw log holds before it
         * releases its leases, so the next owner of a run does not wait for this replica's index.
         * Bounded by max-lag-bytes of work; the chart sizes terminationGracePeriodSeconds from it.
         */
        @WithDefault("PT60S")
        Duration drainTimeout();

        /** Threads that index runs in parallel (one run is indexed by one thread at a time). */
        @WithDefault("2")
        int threads();

        /** First wait after a failed index transaction (PostgreSQL down); doubles up to max-retry-delay. */
        @WithDefault("PT0.2S")
        Duration retryDelay();

        @WithDefault("PT5S")
        Duration maxRetryDelay();

        /**
         * Longest tag (UTF-8 bytes) indexed as a series; announced as max_tag_bytes in
         * GetServerInfo. Longer tags stay in the raw log and are recorded as TAG_TOO_LONG problems,
         * so one absurd tag costs neither the run's other series nor unbounded rows and logs.
         */
        @WithDefault("65536")
        int maxTagBytes();

        /**
         * A caught-up run's in-memory index state (series ids, roll-ups, last chunks) is dropped
         * after this long without new data and reloaded from PostgreSQL when data arrives, so
         * memory follows the active runs, not every run ever seen.
         */
        @WithDefault("PT10M")
        Duration stateIdleTimeout();

        /**
         * Most runs whose index state is kept in memory at once; beyond it the least recently
         * indexed caught-up ones are dropped (and reloaded from PostgreSQL when data arrives), so
         * thousands of live runs cost a bounded heap.
         */
        @WithDefault("1000")
        int maxCachedStates();
    }
}
