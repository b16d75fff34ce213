package dev.athanor.tfevents.compat;

/**
 * Values of {@code SummaryMetadata.plugin_data.plugin_name} that TensorBoard's plugins write and
 * read. They must match what writers put on disk byte for byte.
 */
public final class PluginNames {

    public static final String SCALARS = "scalars";
    public static final String HISTOGRAMS = "histograms";
    public static final String IMAGES = "images";
    public static final String AUDIO = "audio";
    public static final String TEXT = "text";
    public static final String PR_CURVES = "pr_curves";
    public static final String HPARAMS = "hparams";
    public static final String MESH = "mesh";
    public static final String CUSTOM_SCALARS = "custom_scalars";
    /** The run-level graph ({@code Event.graph_def}), stored under tag {@link #RUN_GRAPH_TAG}. */
    public static final String GRAPHS = "graphs";
    /** {@code Event.tagged_run_metadata}, stored under the event's own tag. */
    public static final String GRAPH_TAGGED_RUN_METADATA = "graph_tagged_run_metadata";
    /** Summaries written by {@code tf.summary.trace_export} without the graph. */
    public static final String GRAPH_RUN_METADATA = "graph_run_metadata";
    /** Summaries written by {@code tf.summary.trace_export} with the graph. */
    public static final String GRAPH_RUN_METADATA_WITH_GRAPH = "graph_run_metadata_graph";
    /** The Keras model config written by the Keras TensorBoard callback. */
    public static final String GRAPH_KERAS_MODEL = "graph_keras_model";
    /**
     * Athanor's name for {@code Event.meta_graph_def} blobs (tag {@link #RUN_META_GRAPH_TAG}).
     * TensorBoard's data server has no time series for them; Athanor keeps them rather than drop
     * data, under a name no TensorBoard plugin claims.
     */
    public static final String GRAPH_META_GRAPH = "graph_meta_graph";

    /** Tag TensorBoard gives the run graph (its {@code RUN_GRAPH_NAME}). */
    public static final String RUN_GRAPH_TAG = "__run_graph__";
    /** Tag Athanor gives the run's MetaGraphDef. */
    public static final String RUN_META_GRAPH_TAG = "__run_meta_graph__";

    /** Tags the hparams plugin writes its three kinds of records under. */
    public static final String HPARAMS_EXPERIMENT_TAG = "_hparams_/experiment";
    public static final String HPARAMS_SESSION_START_TAG = "_hparams_/session_start_info";
    public static final String HPARAMS_SESSION_END_TAG = "_hparams_/session_end_info";

    private PluginNames() {
    }
}
