package dev.athanor.query.dataprovider.service;

import dev.athanor.query.common.error.BadInputException;
import java.util.Set;

/**
 * The series a data-provider request selects: one plugin's, of some runs and tags. A null run or
 * tag set means every one (the filter was absent); an empty set means none (present, no names).
 */
public record SeriesSelection(String plugin, Set<String> runs, Set<String> tags) {

    public SeriesSelection {
        if (plugin == null || plugin.isEmpty()) {
            throw new BadInputException("plugin_filter.plugin_name", "plugin_filter.plugin_name is required"
                    + " (the plugin whose series to list or read, e.g. \"scalars\")");
        }
        runs = runs == null ? null : Set.copyOf(runs);
        tags = tags == null ? null : Set.copyOf(tags);
    }
}
