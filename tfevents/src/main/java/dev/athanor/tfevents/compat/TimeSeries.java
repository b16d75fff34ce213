package dev.athanor.tfevents.compat;

import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import java.util.Objects;

/**
 * One time series of a run as TensorBoard sees it: a tag with the plugin that owns it, its data
 * class and the summary metadata of its first value (legacy summaries get the metadata
 * TensorBoard synthesizes for them). Immutable and shared by every value of the series, so
 * decoded values carry it by reference.
 *
 * @param tag        the Summary.Value tag (or node_name for old writers that set only that)
 * @param pluginName the owning plugin, "" when the writer named none
 * @param dataClass  how values are stored; {@link DataClass#DATA_CLASS_UNKNOWN} for plugins
 *                   TensorBoard does not know (their values are still kept, as tensors)
 * @param metadata   the initial metadata, with {@code data_class} filled in when it was derived
 * @param fromLegacyValue the first value was a legacy kind whose metadata was synthesized
 *                   ({@link LegacySummaries}); see {@link LegacySummaries#asDataServerShows}
 */
public record TimeSeries(String tag, String pluginName, DataClass dataClass, SummaryMetadata metadata,
                         boolean fromLegacyValue) {

    public TimeSeries {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(pluginName, "pluginName");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** A series whose first value carried (or did not need) its own metadata. */
    public TimeSeries(String tag, String pluginName, DataClass dataClass, SummaryMetadata metadata) {
        this(tag, pluginName, dataClass, metadata, false);
    }

    /** Builds a series from stored metadata (for example persisted by an indexer and restored after a restart). */
    public static TimeSeries fromMetadata(String tag, SummaryMetadata metadata) {
        String plugin = metadata.getPluginData().getPluginName();
        DataClass dataClass = metadata.getDataClassValue() != 0 ? metadata.getDataClass() : DataClasses.forPlugin(plugin);
        if (dataClass == DataClass.UNRECOGNIZED) {
            dataClass = DataClass.DATA_CLASS_UNKNOWN;
        }
        return new TimeSeries(tag, plugin, dataClass, metadata);
    }

    /** The same series seen as another data class: for a value that does not fit the series it belongs to. */
    public TimeSeries as(DataClass otherClass) {
        return otherClass == dataClass ? this : new TimeSeries(tag, pluginName, otherClass, metadata, fromLegacyValue);
    }

    @Override
    public String toString() {
        return "TimeSeries[" + tag + ", plugin=" + pluginName + ", " + dataClass + "]";
    }
}
