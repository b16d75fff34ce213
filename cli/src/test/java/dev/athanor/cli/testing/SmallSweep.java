package dev.athanor.cli.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Value;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.proto.tensorboard.hparams.SessionStartInfo;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Three runs written with Athanor's own event writer, with known outcomes for the REST commands:
 * {@code good} (val_accuracy ends at 0.95, finite loss, a histogram and an image),
 * {@code diverged} (a NaN and an infinity in its loss, val_accuracy ends at 0.5) and
 * {@code sweep/eval} (val_accuracy ends at 0.92). Each run has lr and optimizer hparams.
 */
public final class SmallSweep {

    public static final int STEPS = 10;

    private SmallSweep() {
    }

    public static void write(Path logdir) throws IOException {
        writeRun(logdir.resolve("good"), 0.01, "adam", 0.95, false, true);
        // What Keras' profile_batch and the PyTorch trace handler leave beside the event files.
        ProfilerOutput.writeSynthetic(logdir.resolve("good"), "host", 300_000, 7);
        writeRun(logdir.resolve("diverged"), 0.5, "sgd", 0.5, true, false);
        writeRun(logdir.resolve("sweep/eval"), 0.05, "sgd", 0.92, false, false);
    }

    private static void writeRun(Path dir, double lr, String optimizer, double finalAccuracy, boolean diverge,
            boolean extras) throws IOException {
        double start = 1_790_000_000.125;
        try (EventFileWriter writer = EventFileWriter.create(dir)) {
            writer.write(sessionStart(start, lr, optimizer));
            for (int step = 0; step < STEPS; step++) {
                double wall = start + step * 0.25;
                float loss = (float) (1.0 / (step + 1));
                if (diverge && step == 3) {
                    loss = Float.NaN;
                } else if (diverge && step == 4) {
                    loss = Float.POSITIVE_INFINITY;
                }
                // Legacy simple_value for loss, a TF2 scalar tensor for val_accuracy: both paths are covered.
                writer.write(Event.newBuilder().setWallTime(wall).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(loss))).build());
                double accuracy = step == STEPS - 1 ? finalAccuracy : finalAccuracy * step / STEPS;
                writer.write(scalarTensor(wall, step, "val_accuracy", (float) accuracy));
                if (extras && step % 5 == 0) {
                    writer.write(histogram(wall, step, "weights"));
                    writer.write(image(wall, step, "samples", step + 7));
                }
            }
        }
    }

    private static Event scalarTensor(double wall, long step, String tag, float value) {
        return Event.newBuilder().setWallTime(wall).setStep(step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag)
                        .setMetadata(SummaryMetadata.newBuilder().setDataClass(DataClass.DATA_CLASS_SCALAR)
                                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars")))
                        .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(value))))
                .build();
    }

    private static Event histogram(double wall, long step, String tag) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(2))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3)));
        tensor.addDoubleVal(-1).addDoubleVal(0).addDoubleVal(3 + step).addDoubleVal(0).addDoubleVal(1).addDoubleVal(5);
        return Event.newBuilder().setWallTime(wall).setStep(step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag)
                        .setMetadata(SummaryMetadata.newBuilder().setDataClass(DataClass.DATA_CLASS_TENSOR)
                                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("histograms")))
                        .setTensor(tensor)))
                .build();
    }

    /** A legacy image summary; the bytes need not be a real PNG for the index (only their length is exported). */
    private static Event image(double wall, long step, String tag, int length) {
        byte[] bytes = new byte[length];
        bytes[0] = (byte) 0x89;
        return Event.newBuilder().setWallTime(wall).setStep(step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder()
                        .setHeight(1).setWidth(1).setColorspace(3).setEncodedImageString(ByteString.copyFrom(bytes)))))
                .build();
    }

    private static Event sessionStart(double wall, double lr, String optimizer) {
        return sessionStart(wall, java.util.Map.of("lr", Value.newBuilder().setNumberValue(lr).build(),
                "optimizer", Value.newBuilder().setStringValue(optimizer).build()));
    }

    /** The hparams plugin's session-start event with these hparams, as TensorBoard's hparams API writes it. */
    public static Event sessionStart(double wall, java.util.Map<String, Value> hparams) {
        HParamsPluginData data = HParamsPluginData.newBuilder()
                .setSessionStartInfo(SessionStartInfo.newBuilder().setStartTimeSecs(wall).putAllHparams(hparams))
                .build();
        SummaryMetadata metadata = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("hparams")
                        .setContent(ByteString.copyFrom(data.toByteArray())))
                .build();
        return Event.newBuilder().setWallTime(wall).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("_hparams_/session_start_info").setMetadata(metadata)
                        .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(0))))
                .build();
    }
}
