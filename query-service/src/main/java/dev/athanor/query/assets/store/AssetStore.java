package dev.athanor.query.assets.store;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.util.Optional;

/** The stored (complete) asset files of runs; uploads still in progress are never listed. */
public interface AssetStore {

    /** The run's assets whose path starts with {@code prefix} (empty: all), by path. */
    Page<RunAsset> list(long runId, String prefix, PageRequest page);

    Optional<RunAsset> find(long runId, String path);
}
