package dev.athanor.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * query-service settings. Defaults live in application.properties; every key can be overridden by
 * its environment variable (for example {@code athanor.query.raw.hot-root} by
 * {@code ATHANOR_QUERY_RAW_HOT_ROOT}).
 */
@ConfigMapping(prefix = "athanor.query")
public interface QueryConfig {

    Raw raw();

    Archive archive();

    Paging paging();

    Sampling sampling();

    Export export();

    DataProvider dataProvider();

    Trash trash();

    /** Upper bound for one read statement; a runaway filter (a pathological regex) is cancelled. */
    Duration statementTimeout();

    /**
     * Longest request target (path and query, percent-encoded) a REST call may have; longer ones
     * get a JSON 414. Sized for a filter of the documented 10,000 characters.
     */
    int maxRequestTarget();

    interface Raw {
        /**
         * A hot raw log on this machine, read first when it holds the segment (one machine: the
         * same directory as ingest's hot root); in the cluster an empty directory.
         */
        Path hotRoot();

        /** How long one read from an ingest replica may take before the archive is tried instead. */
        @WithDefault("PT10S")
        Duration replicaReadTimeout();

        /** An ingest replica not seen (ingest_node.seen_at) for this long is not asked. */
        @WithDefault("PT2M")
        Duration replicaSeenWithin();
    }

    /**
     * Reads of archived segments. The store itself is configured with the archive's own keys
     * ({@code athanor.archive.store.*}, {@code athanor.archive.s3.*}…), shared with archive-service.
     */
    interface Archive {
        /** How long a restored copy (S3 GLACIER / DEEP_ARCHIVE) is asked to stay readable. */
        Duration restoreKeepFor();
    }

    interface Paging {
        int defaultLimit();

        int maxLimit();
    }

    /** Default number of points per read when the request gives no maxPoints, per kind of data. */
    interface Sampling {
        int scalars();

        int histograms();

        int tensors();

        int blobs();

        /** The largest maxPoints a request may ask for. */
        int maxPoints();

        /** The most (run, tag) series one scalar request may read. */
        int maxSeries();

        /**
         * Lines one pixel column of a chart is budgeted for: a request with {@code width} shares
         * width × this many columns among its lines (see {@code ChartBudget}).
         */
        int chartLinesPerColumn();

        /**
         * Points one bucketed series read may open to split chunks wider than two buckets (deep
         * zooms); beyond it such chunks are folded whole: exact, coarser, and said so in the response.
         */
        int maxOpenPoints();
    }

    interface Export {
        /** Rows fetched per round trip while streaming. */
        int fetchSize();
    }

    /** TensorBoard's data-provider protocol on its own gRPC port (docs in query-service/README.md). */
    interface DataProvider {
        /** The gRPC port ({@code quarkus.grpc.server.port} follows it). */
        int port();

        /**
         * Largest response one call may send: a bigger one is refused with RESOURCE_EXHAUSTED, never
         * cut. TensorBoard's client accepts up to 256 MiB.
         */
        int maxResponseBytes();
    }

    /** The trash of runs and experiments (docs: query-service/README.md, "Trash and purge"). */
    interface Trash {
        /**
         * How long a trashed run or experiment can be restored; after it the trash sweeper asks for
         * its purge (the one setting of the window, read nowhere else).
         */
        Duration retention();

        /** Time between two looks for trash past its window; 0 turns the sweeper off (tests). */
        Duration sweepInterval();
    }
}
