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
 * into the tensors the current plugins read.
 *
 * <ul>
 *   <li>{@code simple_value} → rank-0 DT_FLOAT tensor, plugin {@code scalars};</li>
 *   <li>{@code histo} → {@code [k, 3]} tensor of (left edge, right edge, count) rows, plugin
 *       {@code histograms}. Empty buckets at both ends are dropped and the outer edges become the
 *       histogram's {@code min} and {@code max} (the legacy outer limits are ±DBL_MAX); all-empty
 *       histograms become {@code [0, 3]}. TensorBoard's Python code builds this tensor as float32;
 *       like its Rust data server this one is DT_DOUBLE, so no precision is lost;</li>
 *   <li>{@code image} → DT_STRING {@code [3]}: width and height as decimal ASCII, then the
 *       encoded image, plugin {@code images};</li>
 *   <li>{@code audio} → DT_STRING {@code [1, 2]}: the encoded clip and an empty label, plugin
 *       {@code audio}.</li>
 * </ul>
 * The synthesized metadata keeps the writer's description and display name (the tag when none).
 */
public final class LegacySummaries {

    private static final TensorShapeProto SCALAR_SHAPE = TensorShapeProto.getDefaultInstance();
    private static final ByteString IMAGE_PLUGIN_CONTENT =
            ImagePluginData.newBuilder().setConvertedToTensor(true).build().toByteString();
    private static final ByteString AUDIO_PLUGIN_CONTENT = AudioPluginData.newBuilder()
            .setEncoding(AudioPluginData.Encoding.WAV).setConvertedToTensor(true).build().toByteString();
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
        String displayName = written.getDisplayName().isEmpty() ? value.getTag() : written.getDisplayName();
        return SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(plugin).setContent(content))
                .setDisplayName(displayName)
                .setSummaryDescription(written.getSummaryDescription())
                .build();
    }

    public static TensorProto scalarTensor(float value) {
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(SCALAR_SHAPE).addFloatVal(value).build();
    }

    /** The {@code [k, 3]} DT_DOUBLE tensor of a legacy histogram; see the class comment for the edge rules. */
    public static TensorProto histogramTensor(HistogramProto histogram) {
        int buckets = histogram.getBucketCount();
        int first = 0;
        while (first < buckets && !(histogram.getBucket(first) > 0)) {
            first++;
        }
        int last = buckets - 1;
        while (last >= first && !(histogram.getBucket(last) > 0)) {
            last--;
        }
        int rows = Math.max(0, last - first + 1);
        ByteBuffer content = ByteBuffer.allocate(rows * 3 * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = first; i <= last; i++) {
            // bucket_limit[i] is bucket i's right edge; the outermost edges are min and max.
            double left = i == first ? histogram.getMin() : limit(histogram, i - 1);
            double right = i == last ? histogram.getMax() : limit(histogram, i);
            content.putDouble(left).putDouble(right).putDouble(histogram.getBucket(i));
        }
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_DOUBLE)
                .setTensorShape(shape(rows, 3))
                .setTensorContent(ByteString.copyFrom(content.array()))
                .build();
    }

    /**
     * True when a histogram's limits cannot give every kept bucket its edges: fewer
     * {@code bucket_limit}s than buckets. {@link #histogramTensor} then uses {@code max} for the
     * missing edges; callers report the value.
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
