package dev.athanor.tfevents.compat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.AudioPluginData;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.ImagePluginData;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * TensorBoard's {@code data_compat}: turns the legacy (TF 1.x style) {@code Summary.Value} kinds
 * into the tensors the current plugins read. TensorBoard has two loaders that disagree in details;
 * this follows its data server (the Rust loader TensorBoard 2.x reads logdirs with by default), so
 * TensorBoard on Athanor shows what TensorBoard on the files shows:
 *
 * <ul>
 *   <li>{@code simple_value} → rank-0 DT_FLOAT tensor, plugin {@code scalars};</li>
 *   <li>{@code histo} → {@code [k, 3]} DT_DOUBLE tensor of (left edge, right edge, count) rows, one
 *       per bucket written: the first left edge is {@code min}, the last right edge {@code max} (the
 *       legacy outer limits are ±DBL_MAX), the others are {@code bucket_limit}s. An empty bucket at
 *       either end therefore has its edges the wrong way round and a count of 0, as in TensorBoard;
 *       the Python loader drops such buckets, which loses the writer's bucket layout;</li>
 *   <li>{@code image} → DT_STRING {@code [3]}: width and height as decimal ASCII, then the
 *       encoded image, plugin {@code images};</li>
 *   <li>{@code audio} → DT_STRING {@code [1, 2]}: the encoded clip and an empty label, plugin
 *       {@code audio}, encoding left unknown (legacy audio does not say; readers sniff the bytes).</li>
 * </ul>
 * The synthesized metadata keeps the writer's display name and description when it wrote any (as
 * the Python loader does) and does not invent a display name (the Python loader uses the tag;
 * TensorBoard's UI falls back on the tag by itself). TensorBoard's data server drops both: what it
 * serves for such a series is {@link #asDataServerShows}.
 */
public final class LegacySummaries {

    private static final TensorShapeProto SCALAR_SHAPE = TensorShapeProto.getDefaultInstance();
    private static final ByteString IMAGE_PLUGIN_CONTENT =
            ImagePluginData.newBuilder().setConvertedToTensor(true).build().toByteString();
    private static final ByteString AUDIO_PLUGIN_CONTENT =
            AudioPluginData.newBuilder().setConvertedToTensor(true).build().toByteString();
    private static final TensorProto NULL_TENSOR = TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT).setTensorShape(shape(0)).build();

    private LegacySummaries() {
    }

    /** True for the value kinds this class migrates. */
    public static boolean isLegacy(Summary.Value value) {
        return switch (value.getValueCase()) {
            case SIMPLE_VALUE, HISTO, IMAGE, AUDIO -> true;
            default -> false;
        };
    }

    /** The plugin a legacy value kind belongs to, or null for values that are not legacy. */
    public static String pluginFor(Summary.Value.ValueCase kind) {
        return switch (kind) {
            case SIMPLE_VALUE -> PluginNames.SCALARS;
            case HISTO -> PluginNames.HISTOGRAMS;
            case IMAGE -> PluginNames.IMAGES;
            case AUDIO -> PluginNames.AUDIO;
            default -> null;
        };
    }

    /**
     * The value as a current plugin expects it: a legacy value becomes a tensor value with
     * synthesized metadata; any other value is returned unchanged (same instance).
     */
    public static Summary.Value migrate(Summary.Value value) {
        TensorProto tensor = switch (value.getValueCase()) {
            case SIMPLE_VALUE -> scalarTensor(value.getSimpleValue());
            case HISTO -> histogramTensor(value.getHisto());
            case IMAGE -> imageTensor(value.getImage());
            case AUDIO -> audioTensor(value.getAudio());
            default -> null;
        };
        if (tensor == null) {
            return value;
        }
        return Summary.Value.newBuilder()
                .setTag(value.getTag())
                .setMetadata(metadataFor(value))
                .setTensor(tensor)
                .build();
    }

    /** The metadata TensorBoard synthesizes for a legacy value (no data class: that is dataclass_compat's job). */
    public static SummaryMetadata metadataFor(Summary.Value value) {
        String plugin = pluginFor(value.getValueCase());
        if (plugin == null) {
            throw new IllegalArgumentException("not a legacy summary value: " + value.getValueCase());
        }
        ByteString content = switch (value.getValueCase()) {
            case IMAGE -> IMAGE_PLUGIN_CONTENT;
            case AUDIO -> AUDIO_PLUGIN_CONTENT;
            default -> ByteString.EMPTY; // version-0 ScalarPluginData / HistogramPluginData encode to nothing
        };
        SummaryMetadata written = value.getMetadata();
        return SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(plugin).setContent(content))
                .setDisplayName(written.getDisplayName())
                .setSummaryDescription(written.getSummaryDescription())
                .build();
    }

    /**
     * The metadata of a series whose first value was legacy as TensorBoard's data server serves it:
     * it ignores whatever metadata the writer attached to a legacy value, so no display name and no
     * description.
     */
    public static SummaryMetadata asDataServerShows(SummaryMetadata synthesized) {
        return synthesized.toBuilder().clearDisplayName().clearSummaryDescription().build();
    }

    public static TensorProto scalarTensor(float value) {
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(SCALAR_SHAPE).addFloatVal(value).build();
    }

    /** The {@code [k, 3]} DT_DOUBLE tensor of a legacy histogram; see the class comment for the edges. */
    public static TensorProto histogramTensor(HistogramProto histogram) {
        int buckets = histogram.getBucketCount();
        ByteBuffer content = ByteBuffer.allocate(buckets * 3 * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < buckets; i++) {
            // bucket_limit[i] is bucket i's right edge; the outermost edges are min and max.
            double left = i == 0 ? histogram.getMin() : limit(histogram, i - 1);
            double right = i == buckets - 1 ? histogram.getMax() : limit(histogram, i);
            content.putDouble(left).putDouble(right).putDouble(histogram.getBucket(i));
        }
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_DOUBLE)
                .setTensorShape(shape(buckets, 3))
                .setTensorContent(ByteString.copyFrom(content.array()))
                .build();
    }

    /**
     * True when a histogram is malformed: fewer {@code bucket_limit}s (right edges) than buckets.
     * {@link #histogramTensor} then uses {@code max} for edges it lacks (TensorBoard refuses the
     * value) and callers report it.
     */
    public static boolean hasMissingLimits(HistogramProto histogram) {
        return histogram.getBucketLimitCount() < histogram.getBucketCount();
    }

    private static double limit(HistogramProto histogram, int i) {
        return i < histogram.getBucketLimitCount() ? histogram.getBucketLimit(i) : histogram.getMax();
    }

    public static TensorProto imageTensor(Summary.Image image) {
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_STRING)
                .setTensorShape(shape(3))
                .addStringVal(ascii(image.getWidth()))
                .addStringVal(ascii(image.getHeight()))
                .addStringVal(image.getEncodedImageString())
                .build();
    }

    public static TensorProto audioTensor(Summary.Audio audio) {
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_STRING)
                .setTensorShape(shape(1, 2))
                .addStringVal(audio.getEncodedAudioString())
                .addStringVal(ByteString.EMPTY)
                .build();
    }

    /** The empty DT_FLOAT {@code [0]} tensor TensorBoard gives hparams values that carry only metadata. */
    public static TensorProto nullTensor() {
        return NULL_TENSOR;
    }

    static ByteString ascii(int number) {
        return ByteString.copyFrom(Integer.toString(number), StandardCharsets.US_ASCII);
    }

    static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }
}
