package dev.athanor.tfevents.compat;

import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;

/**
 * TensorBoard's {@code dataclass_compat} rules for the metadata of a time series, decided once,
 * from the first value of a tag in a run. In order of precedence:
 * <ol>
 *   <li>metadata whose writer set a data class is authoritative and kept verbatim;</li>
 *   <li>a legacy value ({@code simple_value}, {@code histo}, {@code image}, {@code audio}) gets the
 *       metadata {@link LegacySummaries} synthesizes, whatever plugin the writer named;</li>
 *   <li>metadata naming a known plugin gets that plugin's data class ({@link DataClasses});</li>
 *   <li>anything else keeps its metadata (or none) with data class UNKNOWN: TensorBoard's data
 *       server would not serve it, Athanor keeps it as a tensor series.</li>
 * </ol>
 * Non-summary events get fixed series: the run graph ({@code __run_graph__}), tagged run metadata
 * (under the event's tag) and, Athanor's addition, the MetaGraphDef ({@code __run_meta_graph__}).
 */
public final class InitialMetadata {

    private static final TimeSeries RUN_GRAPH = blank(PluginNames.RUN_GRAPH_TAG, PluginNames.GRAPHS);
    private static final TimeSeries RUN_META_GRAPH = blank(PluginNames.RUN_META_GRAPH_TAG, PluginNames.GRAPH_META_GRAPH);

    private InitialMetadata() {
    }

    /** The series that the first value of {@code tag} in a run defines. */
    public static TimeSeries forFirstValue(String tag, Summary.Value value) {
        SummaryMetadata written = value.getMetadata();
        if (written.getDataClassValue() != DataClass.DATA_CLASS_UNKNOWN_VALUE) {
            return TimeSeries.fromMetadata(tag, written);
        }
        String legacyPlugin = LegacySummaries.pluginFor(value.getValueCase());
        if (legacyPlugin != null) {
            DataClass dataClass = DataClasses.forPlugin(legacyPlugin);
            return new TimeSeries(tag, legacyPlugin, dataClass,
                    LegacySummaries.metadataFor(value).toBuilder().setDataClass(dataClass).build(), true);
        }
        String plugin = written.getPluginData().getPluginName();
        DataClass dataClass = DataClasses.forPlugin(plugin);
        SummaryMetadata metadata = dataClass == DataClass.DATA_CLASS_UNKNOWN
                ? written
                : written.toBuilder().setDataClass(dataClass).build();
        return new TimeSeries(tag, plugin, dataClass, metadata);
    }

    /** The series of {@code Event.graph_def}: tag {@code __run_graph__}, plugin {@code graphs}. */
    public static TimeSeries runGraph() {
        return RUN_GRAPH;
    }

    /** The series of {@code Event.meta_graph_def}: tag {@code __run_meta_graph__}. */
    public static TimeSeries runMetaGraph() {
        return RUN_META_GRAPH;
    }

    /** The series of {@code Event.tagged_run_metadata} events with this tag. */
    public static TimeSeries taggedRunMetadata(String tag) {
        return blank(tag, PluginNames.GRAPH_TAGGED_RUN_METADATA);
    }

    private static TimeSeries blank(String tag, String plugin) {
        DataClass dataClass = DataClass.DATA_CLASS_BLOB_SEQUENCE;
        return new TimeSeries(tag, plugin, dataClass, SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(plugin))
                .setDataClass(dataClass)
                .build());
    }
}
