package dev.athanor.tfevents.compat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.TensorProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code Summary.Value} as a point of its series' data class, as TensorBoard's data
 * server does ("enrich" into scalar, tensor or blob sequence). Legacy values are migrated on the
 * way ({@link LegacySummaries}). A null answer means the value cannot be read as that class;
 * the caller keeps it in another form and reports it.
 */
public final class DataClassConversions {

    private DataClassConversions() {
    }

    /**
     * A scalar: {@code simple_value} (float widened exactly to double), or a tensor holding one
     * real number of any numeric dtype. Null otherwise.
     */
    public static Double scalar(Summary.Value value) {
        return switch (value.getValueCase()) {
            case SIMPLE_VALUE -> (double) value.getSimpleValue();
            case TENSOR -> TensorValues.singleNumber(value.getTensor());
            default -> null;
        };
    }

    /**
     * A tensor: the value's own tensor, or the migrated form of a legacy value, or the empty
     * {@code [0]} tensor for a value that carries only metadata (as hparams values do). An
     * {@code obsolete_old_style_histogram} is kept as a rank-0 DT_STRING tensor of its bytes.
     * Never null.
     */
    public static TensorProto tensor(Summary.Value value) {
        return switch (value.getValueCase()) {
            case TENSOR -> value.getTensor();
            case SIMPLE_VALUE -> LegacySummaries.scalarTensor(value.getSimpleValue());
            case HISTO -> LegacySummaries.histogramTensor(value.getHisto());
            case IMAGE -> LegacySummaries.imageTensor(value.getImage());
            case AUDIO -> LegacySummaries.audioTensor(value.getAudio());
            case OBSOLETE_OLD_STYLE_HISTOGRAM -> TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                    .addStringVal(value.getObsoleteOldStyleHistogram()).build();
            case VALUE_NOT_SET -> LegacySummaries.nullTensor();
        };
    }

    /**
     * A blob sequence: {@code [width, height, image]} for a legacy image; {@code [clip]} for legacy
     * audio; the elements of a DT_STRING tensor, where an audio plugin's {@code [k, 2]} (clip,
     * label) tensor keeps only its k clips and a graph sub-plugin's rank-0 string becomes one blob
     * (TensorBoard's projections). Null for values that hold no strings.
     */
    public static List<ByteString> blobSequence(Summary.Value value, String pluginName) {
        return switch (value.getValueCase()) {
            case IMAGE -> List.of(LegacySummaries.ascii(value.getImage().getWidth()),
                    LegacySummaries.ascii(value.getImage().getHeight()),
                    value.getImage().getEncodedImageString());
            case AUDIO -> List.of(value.getAudio().getEncodedAudioString());
            case TENSOR -> stringBlobs(value.getTensor(), pluginName);
            default -> null;
        };
    }

    private static List<ByteString> stringBlobs(TensorProto tensor, String pluginName) {
        if (tensor.getDtype() != DataType.DT_STRING) {
            return null;
        }
        List<ByteString> strings = tensor.getStringValList();
        int rank = tensor.getTensorShape().getDimCount();
        if (rank == 2 && tensor.getTensorShape().getDim(1).getSize() == 2
                && PluginNames.AUDIO.equals(pluginName) && strings.size() % 2 == 0) {
            List<ByteString> clips = new ArrayList<>(strings.size() / 2);
            for (int i = 0; i < strings.size(); i += 2) {
                clips.add(strings.get(i));
            }
            return List.copyOf(clips);
        }
        // Rank 1 (images: width, height, images...), rank 0 (graph sub-plugins: one proto) and any
        // other shape: the elements in order.
        return strings;
    }
}
