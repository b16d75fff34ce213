package dev.athanor.query.scalars.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The sub-block backfill's settings ({@code athanor.scalars.backfill.*}, each overridable by its
 * environment variable, e.g. {@code ATHANOR_SCALARS_BACKFILL_ENABLED}); see {@link SubBlockBackfillJob}.
 */
@ConfigMapping(prefix = "athanor.scalars.backfill")
public interface SubBlockBackfillConfig {

    /** Whether this replica takes part in the backfill (one replica at a time runs it). */
    @WithDefault("true")
    boolean enabled();

    /** Chunks looked at per batch (one transaction). */
    @WithDefault("200")
    int batchSize();

    /** The pause after each batch, so the backfill leaves PostgreSQL to the charts and ingest. */
    @WithDefault("PT0.05S")
    Duration pause();

    /** How long to wait before trying again when another replica holds the pass or a batch failed. */
    @WithDefault("PT30S")
    Duration retryInterval();
}
