package dev.athanor.query.blobs;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;

/** Events carrying blobs the way writers produce them. */
final class BlobEvents {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3};
    static final byte[] PNG_2 = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 9, 9, 9};
    static final byte[] WAV = {'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ', 16, 0, 0, 0};
    static final byte[] GRAPH = {0x0a, 0x03, 'a', 'd', 'd'};

    private BlobEvents() {
    }

    /** PyTorch / TF1 style: a legacy Summary.Image. */
    static Event legacyImage(String tag, long step, byte[] png) {
        return Event.newBuilder().setStep(step).setWallTime(100.0 + step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("other").setSimpleValue(1f))
                .addValue(Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder()
                        .setWidth(2).setHeight(3).setColorspace(3).setEncodedImageString(ByteString.copyFrom(png)))))
                .build();
    }

    /** TF2 style: a DT_STRING tensor [width, height, png...]. */
    static Event tensorImages(String tag, long step, byte[]... pngs) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2 + pngs.length)))
                .addStringVal(ByteString.copyFromUtf8("10")).addStringVal(ByteString.copyFromUtf8("20"));
        for (byte[] png : pngs) {
            tensor.addStringVal(ByteString.copyFrom(png));
        }
        return Event.newBuilder().setStep(step).setWallTime(200.0 + step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setTensor(tensor))).build();
    }

    static Event legacyAudio(String tag, long step) {
        return Event.newBuilder().setStep(step).setWallTime(300.0).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setAudio(Summary.Audio.newBuilder()
                        .setSampleRate(16000).setEncodedAudioString(ByteString.copyFrom(WAV))))).build();
    }

    static Event graph(long step) {
        return Event.newBuilder().setStep(step).setWallTime(400.0).setGraphDef(ByteString.copyFrom(GRAPH)).build();
    }
}
