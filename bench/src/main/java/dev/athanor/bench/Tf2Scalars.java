package dev.athanor.bench;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;

/**
 * Scalar events as TF2's {@code tf.summary.scalar} writes them: a rank-0 DT_FLOAT tensor in
 * little-endian {@code tensor_content}, with the "scalars" plugin metadata on a tag's first value only.
 */
public final class Tf2Scalars {

    private static final SummaryMetadata SCALARS = SummaryMetadata.newBuilder()
            .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
            .build();

    private Tf2Scalars() {
    }

    public static Event event(String tag, long step, double wallTime, float value, boolean firstOfTag) {
        int bits = Float.floatToRawIntBits(value);
        byte[] content = {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)};
        Summary.Value.Builder summaryValue = Summary.Value.newBuilder()
                .setTag(tag)
                .setTensor(TensorProto.newBuilder()
                        .setDtype(DataType.DT_FLOAT)
                        .setTensorShape(TensorShapeProto.getDefaultInstance())
                        .setTensorContent(ByteString.copyFrom(content)));
        if (firstOfTag) {
            summaryValue.setMetadata(SCALARS);
        }
        return Event.newBuilder().setWallTime(wallTime).setStep(step)
                .setSummary(Summary.newBuilder().addValue(summaryValue)).build();
    }
}
