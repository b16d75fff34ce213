package dev.athanor.tfevents.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import org.junit.jupiter.api.Test;

class DataClassConversionsTest {

    private static final ByteString A = ByteString.copyFromUtf8("clip-a");
    private static final ByteString B = ByteString.copyFromUtf8("clip-b");

    private static Summary.Value strings(long[] dims, ByteString... values) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape);
        for (ByteString value : values) {
            tensor.addStringVal(value);
        }
        return Summary.Value.newBuilder().setTag("t").setTensor(tensor).build();
    }

    @Test
    void audioClipLabelPairsKeepOnlyTheClips() {
        Summary.Value value = strings(new long[] {2, 2}, A, ByteString.copyFromUtf8("label a"), B, ByteString.EMPTY);

        assertThat(DataClassConversions.blobSequence(value, PluginNames.AUDIO)).containsExactly(A, B);
        assertThat(DataClassConversions.blobSequence(value, "other")).as("only for the audio plugin")
                .hasSize(4);
    }

    @Test
    void rankOneStringsAreTheSequenceAndARankZeroGraphProtoIsOneBlob() {
        assertThat(DataClassConversions.blobSequence(strings(new long[] {3}, A, B, A), PluginNames.IMAGES))
                .containsExactly(A, B, A);
        assertThat(DataClassConversions.blobSequence(strings(new long[] {}, A), PluginNames.GRAPH_KERAS_MODEL))
                .containsExactly(A);
    }

    @Test
    void numericTensorsAreNotBlobSequences() {
        Summary.Value numbers = Summary.Value.newBuilder().setTag("t")
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(1)).build();

        assertThat(DataClassConversions.blobSequence(numbers, PluginNames.IMAGES)).isNull();
        assertThat(DataClassConversions.blobSequence(
                Summary.Value.newBuilder().setSimpleValue(1).build(), PluginNames.IMAGES)).isNull();
    }

    @Test
    void legacyImageAndAudioAreBlobSequences() {
        Summary.Value image = Summary.Value.newBuilder()
                .setImage(Summary.Image.newBuilder().setWidth(640).setHeight(480).setEncodedImageString(A)).build();
        Summary.Value audio = Summary.Value.newBuilder()
                .setAudio(Summary.Audio.newBuilder().setEncodedAudioString(B)).build();

        assertThat(DataClassConversions.blobSequence(image, PluginNames.IMAGES))
                .containsExactly(ByteString.copyFromUtf8("640"), ByteString.copyFromUtf8("480"), A);
        assertThat(DataClassConversions.blobSequence(audio, PluginNames.AUDIO)).containsExactly(B);
    }

    @Test
    void scalarsComeFromSimpleValuesAndOneNumberTensors() {
        assertThat(DataClassConversions.scalar(Summary.Value.newBuilder().setSimpleValue(0.1f).build()))
                .isEqualTo((double) 0.1f);
        assertThat(DataClassConversions.scalar(Summary.Value.newBuilder()
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_INT64).addInt64Val(42)).build())).isEqualTo(42.0);
        assertThat(DataClassConversions.scalar(strings(new long[] {}, A))).isNull();
        assertThat(DataClassConversions.scalar(Summary.Value.getDefaultInstance())).isNull();
    }

    @Test
    void aValueWithOnlyMetadataIsTheEmptyFloatTensor() {
        TensorProto tensor = DataClassConversions.tensor(Summary.Value.newBuilder().setTag("_hparams_/experiment").build());

        assertThat(tensor.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(TensorValues.shape(tensor)).containsExactly(0);
    }

    @Test
    void anObsoleteHistogramIsKeptAsItsBytes() {
        TensorProto tensor = DataClassConversions.tensor(Summary.Value.newBuilder().setObsoleteOldStyleHistogram(A).build());

        assertThat(tensor.getDtype()).isEqualTo(DataType.DT_STRING);
        assertThat(tensor.getStringValList()).containsExactly(A);
    }
}
