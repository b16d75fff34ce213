package dev.athanor.query.dataprovider;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Event files as TF1 / PyTorch writers produce them (legacy summaries, which TensorBoard migrates
 * to its plugins), written with the project's own writer for the data-provider tests.
 */
final class DataProviderEvents {

    /** Larger than one ReadBlob chunk (1 MiB), so its bytes come back in two. */
    static final byte[] BIG_PNG = png(1_500_000);
    static final byte[] GRAPH = {0x0a, 0x03, 'a', 'd', 'd'};
    static final int TRAIN_LOSS_POINTS = 50;
    static final int HISTOGRAM_STEPS = 20;
    static final int IMAGE_STEPS = 3;

    private DataProviderEvents() {
    }

    /** "train": loss at steps 0..49 (value step/2), weights histograms at 0..19, images at 0..2, a graph. */
    static Path train(Path dir) {
        try (EventFileWriter writer = EventFileWriter.create(dir.resolve("train"))) {
            writer.write(Event.newBuilder().setStep(0).setWallTime(999.0).setGraphDef(ByteString.copyFrom(GRAPH)).build());
            for (int step = 0; step < TRAIN_LOSS_POINTS; step++) {
                Summary.Builder summary = Summary.newBuilder().addValue(scalar("loss", step / 2.0f));
                if (step < HISTOGRAM_STEPS) {
                    summary.addValue(Summary.Value.newBuilder().setTag("weights").setHisto(HistogramProto.newBuilder()
                            .setMin(0).setMax(step + 1).setNum(2).setSum(step + 1)
                            .addBucketLimit(0.5).addBucketLimit(step + 1.0).addBucket(1).addBucket(1)));
                }
                if (step < IMAGE_STEPS) {
                    summary.addValue(Summary.Value.newBuilder().setTag("sample").setImage(Summary.Image.newBuilder()
                            .setWidth(4).setHeight(3).setColorspace(3).setEncodedImageString(ByteString.copyFrom(image(step)))));
                }
                writer.write(Event.newBuilder().setStep(step).setWallTime(1000.0 + step).setSummary(summary).build());
            }
            return writer.file();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "eval": loss and accuracy at steps 0..4; accuracy's values carry a display name and description, as tensorboardX can write. */
    static Path eval(Path dir) {
        try (EventFileWriter writer = EventFileWriter.create(dir.resolve("eval"))) {
            for (int step = 0; step < 5; step++) {
                writer.write(Event.newBuilder().setStep(step * 10L).setWallTime(2000.0 + step).setSummary(Summary.newBuilder()
                        .addValue(scalar("loss", 1.0f / (step + 1))).addValue(scalar("accuracy", step / 4.0f).toBuilder()
                                .setMetadata(SummaryMetadata.newBuilder().setDisplayName("Accuracy")
                                        .setSummaryDescription("top-1 on the eval split")))).build());
            }
            return writer.file();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image of a step: the big PNG with the step in its last byte. */
    static byte[] image(int step) {
        byte[] bytes = BIG_PNG.clone();
        bytes[bytes.length - 1] = (byte) step;
        return bytes;
    }

    private static Summary.Value scalar(String tag, float value) {
        return Summary.Value.newBuilder().setTag(tag).setSimpleValue(value).build();
    }

    private static byte[] png(int length) {
        byte[] bytes = new byte[length];
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(header, 0, bytes, 0, header.length);
        for (int i = header.length; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
