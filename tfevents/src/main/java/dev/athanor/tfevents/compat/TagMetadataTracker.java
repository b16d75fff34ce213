package dev.athanor.tfevents.compat;

import dev.athanor.proto.tensorboard.Summary;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, per tag of one run, the series its first value defined. Writers usually send plugin
 * metadata only with the first value of a tag, so later values are read with what is stored
 * here. One tracker per run, fed in file order; not thread-safe.
 */
public final class TagMetadataTracker {

    private final Map<String, TimeSeries> byTag = new LinkedHashMap<>();

    /** The series of {@code tag}: the one already known, else the one {@code value} defines as the first. */
    public TimeSeries seriesFor(String tag, Summary.Value value) {
        TimeSeries series = byTag.get(tag);
        if (series == null) {
            series = InitialMetadata.forFirstValue(tag, value);
            byTag.put(tag, series);
        }
        return series;
    }

    public TimeSeries runGraph() {
        return byTag.computeIfAbsent(PluginNames.RUN_GRAPH_TAG, tag -> InitialMetadata.runGraph());
    }

    public TimeSeries runMetaGraph() {
        return byTag.computeIfAbsent(PluginNames.RUN_META_GRAPH_TAG, tag -> InitialMetadata.runMetaGraph());
    }

    public TimeSeries taggedRunMetadata(String tag) {
        return byTag.computeIfAbsent(tag, InitialMetadata::taggedRunMetadata);
    }

    /** The series known for {@code tag}, or null. */
    public TimeSeries get(String tag) {
        return byTag.get(tag);
    }

    /**
     * Seeds a series known from earlier data (for example the metadata an indexer stored before a
     * restart, when reading resumes after the tag's first value). Replaces what was known.
     */
    public void restore(TimeSeries series) {
        byTag.put(series.tag(), series);
    }

    /** Every series seen so far, in order of first appearance. */
    public Collection<TimeSeries> series() {
        return Collections.unmodifiableCollection(byTag.values());
    }

    public int size() {
        return byTag.size();
    }
}
