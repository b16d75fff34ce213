package dev.athanor.cli.suite;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.proto.tensorboard.hparams.Experiment;
import dev.athanor.proto.tensorboard.hparams.HParamInfo;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.proto.tensorboard.hparams.MetricInfo;
import dev.athanor.proto.tensorboard.hparams.MetricName;
import dev.athanor.proto.tensorboard.hparams.SessionEndInfo;
import dev.athanor.proto.tensorboard.hparams.SessionStartInfo;
import dev.athanor.proto.tensorboard.hparams.Status;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small hyperparameter sweep written with Athanor's own event writer, in the layout the
 * TensorBoard hparams API produces: the experiment config in the logdir root, one run directory
 * per trial with its session start/end, loss and accuracy curves and a weight histogram.
 */
public final class DemoLogdir {

    private static final double[] LEARNING_RATES = {0.1, 0.03, 0.01, 0.003};
    private static final String[] OPTIMIZERS = {"sgd", "adam"};
    private static final int STEPS = 2_000;

    private DemoLogdir() {
    }

    /** Writes the sweep under {@code root}; returns the number of runs written. */
    public static int write(Path root, long seed) throws IOException {
        Random random = new Random(seed);
        double now = System.currentTimeMillis() / 1000.0;
        try (EventFileWriter writer = EventFileWriter.create(root)) {
            writer.write(hparams(now, "_hparams_/experiment", HParamsPluginData.newBuilder()
                    .setExperiment(Experiment.newBuilder().setTimeCreatedSecs(now)
                            .addHparamInfos(HParamInfo.newBuilder().setName("lr")
                                    .setType(dev.athanor.proto.tensorboard.hparams.DataType.DATA_TYPE_FLOAT64))
                            .addHparamInfos(HParamInfo.newBuilder().setName("optimizer")
                                    .setType(dev.athanor.proto.tensorboard.hparams.DataType.DATA_TYPE_STRING)
                                    .setDomainDiscrete(ListValue.newBuilder()
                                            .addValues(Value.newBuilder().setStringValue("sgd"))
                                            .addValues(Value.newBuilder().setStringValue("adam"))))
                            .addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setTag("accuracy")))
                            .addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setTag("loss"))))
                    .build()));
        }
        int runs = 0;
        for (double lr : LEARNING_RATES) {
            for (String optimizer : OPTIMIZERS) {
                writeTrial(root.resolve("lr=" + lr + ",optimizer=" + optimizer), lr, optimizer, now, random);
                runs++;
            }
        }
        return runs;
    }

    private static void writeTrial(Path dir, double lr, String optimizer, double start, Random random)
            throws IOException {
        try (EventFileWriter writer = EventFileWriter.create(dir)) {
            writer.write(hparams(start, "_hparams_/session_start_info", HParamsPluginData.newBuilder()
                    .setSessionStartInfo(SessionStartInfo.newBuilder().setStartTimeSecs(start)
                            .putHparams("lr", Value.newBuilder().setNumberValue(lr).build())
                            .putHparams("optimizer", Value.newBuilder().setStringValue(optimizer).build()))
                    .build()));
            double speed = lr * (optimizer.equals("adam") ? 3.0 : 1.0);
            double loss = 2.3;
            for (int step = 0; step < STEPS; step++) {
                loss = Math.max(0.05, loss * (1 - Math.min(0.05, speed * 0.1)) + random.nextGaussian() * 0.005);
                double wall = start + step * 0.05;
                // A learning rate too high for SGD diverges once, as real sweeps do.
                double shown = lr >= 0.1 && optimizer.equals("sgd") && step == STEPS / 2 ? Double.NaN : loss;
                writer.write(scalar(wall, step, "loss", (float) shown));
                writer.write(scalar(wall, step, "accuracy", (float) (1 - Math.exp(-3 / (loss + 0.3)) * 0.9)));
                if (step % 100 == 0) {
                    writer.write(histogram(wall, step, "weights", random, 1.0 / (1 + step * speed * 0.01)));
                }
            }
            writer.write(hparams(start + STEPS * 0.05, "_hparams_/session_end_info", HParamsPluginData.newBuilder()
                    .setSessionEndInfo(SessionEndInfo.newBuilder().setStatus(Status.STATUS_SUCCESS)
                            .setEndTimeSecs(start + STEPS * 0.05))
                    .build()));
        }
    }

    private static Event scalar(double wallTime, long step, String tag, float value) {
        return Event.newBuilder().setWallTime(wallTime).setStep(step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(plugin("scalars", DataClass.DATA_CLASS_SCALAR))
                        .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(value))))
                .build();
    }

    /** A TF2-style histogram: a [k, 3] tensor of (left edge, right edge, count). */
    private static Event histogram(double wallTime, long step, String tag, Random random, double spread) {
        int buckets = 30;
        double[] counts = new double[buckets];
        for (int i = 0; i < 1_000; i++) {
            double x = random.nextGaussian() * spread;
            int bucket = (int) Math.floor((x + 3) / 6 * buckets);
            counts[Math.max(0, Math.min(buckets - 1, bucket))]++;
        }
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(buckets))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3)));
        for (int i = 0; i < buckets; i++) {
            tensor.addDoubleVal(-3 + 6.0 * i / buckets).addDoubleVal(-3 + 6.0 * (i + 1) / buckets).addDoubleVal(counts[i]);
        }
        return Event.newBuilder().setWallTime(wallTime).setStep(step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(plugin("histograms", DataClass.DATA_CLASS_TENSOR))
                        .setTensor(tensor)))
                .build();
    }

    private static Event hparams(double wallTime, String tag, HParamsPluginData data) {
        SummaryMetadata metadata = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("hparams")
                        .setContent(ByteString.copyFrom(data.toByteArray())))
                .build();
        return Event.newBuilder().setWallTime(wallTime).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(metadata)
                        .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(0))))
                .build();
    }

    private static SummaryMetadata plugin(String name, DataClass dataClass) {
        return SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(name))
                .setDataClass(dataClass).build();
    }
}
