package dev.athanor.ingest.config;

import dev.athanor.archive.store.config.StoreSettings;
import io.smallrye.config.ConfigMapping;

/**
 * The archive's store as archive-service configures it (same {@code athanor.archive.*} keys and
 * defaults, written once in {@link StoreSettings}), for reads of archived segments.
 */
@ConfigMapping(prefix = StoreSettings.PREFIX)
public interface ArchiveStoreConfig extends StoreSettings {
}
