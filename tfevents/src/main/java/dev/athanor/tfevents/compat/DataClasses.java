package dev.athanor.tfevents.compat;

import dev.athanor.proto.tensorboard.DataClass;

/**
 * The data class TensorBoard assigns to a time series from its plugin name, when the writer did
 * not set one (dataclass_compat): scalars are SCALAR; histograms, text, PR curves, hparams, meshes
 * and custom-scalar layouts are TENSOR; images, audio and graph artefacts are BLOB_SEQUENCE.
 */
public final class DataClasses {

    private DataClasses() {
    }

    /** The data class for {@code pluginName}, or {@link DataClass#DATA_CLASS_UNKNOWN} for plugins TensorBoard does not know. */
    public static DataClass forPlugin(String pluginName) {
        return switch (pluginName) {
            case PluginNames.SCALARS -> DataClass.DATA_CLASS_SCALAR;
            case PluginNames.HISTOGRAMS, PluginNames.TEXT, PluginNames.PR_CURVES, PluginNames.HPARAMS,
                 PluginNames.MESH, PluginNames.CUSTOM_SCALARS -> DataClass.DATA_CLASS_TENSOR;
            case PluginNames.IMAGES, PluginNames.AUDIO, PluginNames.GRAPHS, PluginNames.GRAPH_TAGGED_RUN_METADATA,
                 PluginNames.GRAPH_RUN_METADATA, PluginNames.GRAPH_RUN_METADATA_WITH_GRAPH,
                 PluginNames.GRAPH_KERAS_MODEL, PluginNames.GRAPH_META_GRAPH -> DataClass.DATA_CLASS_BLOB_SEQUENCE;
            default -> DataClass.DATA_CLASS_UNKNOWN;
        };
    }

    /** Graph sub-plugins write one serialized proto as a rank-0 string tensor; it is read as a one-blob sequence. */
    public static boolean isGraphSubPlugin(String pluginName) {
        return PluginNames.GRAPH_RUN_METADATA.equals(pluginName)
                || PluginNames.GRAPH_RUN_METADATA_WITH_GRAPH.equals(pluginName)
                || PluginNames.GRAPH_KERAS_MODEL.equals(pluginName);
    }
}
