package dev.athanor.tfevents.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.AudioPluginData;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.ImagePluginData;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import org.junit.jupiter.api.Test;

class LegacySummariesTest {

    private static final double DBL_MAX = Double.MAX_VALUE;

    private static HistogramProto histogram(double min, double max, double[] limits, double[] counts) {
        HistogramProto.Builder histo = HistogramProto.newBuilder().setMin(min).setMax(max);
        for (double limit : limits) {
            histo.addBucketLimit(limit);
        }
        for (double count : counts) {
            histo.addBucket(count);
            histo.setNum(histo.getNum() + count);
        }
        return histo.build();
    }

    @Test
    void simpleValueBecomesARankZeroFloatTensorOfTheScalarsPlugin() {
        Summary.Value value = Summary.Value.newBuilder().setTag("loss").setSimpleValue(0.1f).build();

        Summary.Value migrated = LegacySummaries.migrate(value);

        assertThat(migrated.getTensor().getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(migrated.getTensor().hasTensorShape()).isTrue();
        assertThat(TensorValues.shape(migrated.getTensor())).isEmpty();
        assertThat(migrated.getTensor().getFloatValList()).containsExactly(0.1f);
        assertThat(migrated.getMetadata().getPluginData().getPluginName()).isEqualTo("scalars");
        assertThat(migrated.getMetadata().getDisplayName()).as("no display name is invented").isEmpty();
    }

    @Test
    void synthesizedMetadataKeepsTheWritersDisplayNameAndDescriptionButNotItsPlugin() {
        Summary.Value value = Summary.Value.newBuilder().setTag("data/lr").setSimpleValue(0.5f)
                .setMetadata(SummaryMetadata.newBuilder().setDisplayName("learning rate")
                        .setSummaryDescription("per step")
                        .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("ignored")))
                .build();

        SummaryMetadata metadata = LegacySummaries.metadataFor(value);

        assertThat(metadata.getDisplayName()).isEqualTo("learning rate");
        assertThat(metadata.getSummaryDescription()).isEqualTo("per step");
        assertThat(metadata.getPluginData().getPluginName()).isEqualTo("scalars");
        assertThat(metadata.getPluginData().getContent()).isEmpty();

        SummaryMetadata served = LegacySummaries.asDataServerShows(metadata);
        assertThat(served.getDisplayName() + served.getSummaryDescription()).as("TensorBoard's data server drops both").isEmpty();
        assertThat(served.getPluginData()).isEqualTo(metadata.getPluginData());
    }

    @Test
    void histogramKeepsEveryBucketAndUsesMinAndMaxAsOuterEdges() {
        // TensorBoard's data server gives the same rows for this input: the empty end buckets stay,
        // their edges the wrong way round, with a count of 0.
        HistogramProto histo = histogram(-1, 2, new double[] {-1.5, -0.5, 0.5, 1.5, DBL_MAX},
                new double[] {0, 1, 0, 2, 0});

        TensorProto tensor = LegacySummaries.histogramTensor(histo);

        assertThat(tensor.getDtype()).isEqualTo(DataType.DT_DOUBLE);
        assertThat(TensorValues.shape(tensor)).containsExactly(5, 3);
        assertThat(TensorValues.doubles(tensor)).containsExactly(
                -1, -1.5, 0,
                -1.5, -0.5, 1,
                -0.5, 0.5, 0,
                0.5, 1.5, 2,
                1.5, 2, 0);
    }

    @Test
    void histogramKeepsDoublePrecisionEdges() {
        HistogramProto histo = histogram(0.1, 0.7, new double[] {0.30000000000000004, DBL_MAX}, new double[] {1, 1});

        assertThat(TensorValues.doubles(LegacySummaries.histogramTensor(histo)))
                .containsExactly(0.1, 0.30000000000000004, 1, 0.30000000000000004, 0.7, 1);
    }

    @Test
    void histogramWithOneBucketSpansMinToMax() {
        HistogramProto histo = histogram(3, 3, new double[] {DBL_MAX}, new double[] {5});

        assertThat(TensorValues.doubles(LegacySummaries.histogramTensor(histo))).containsExactly(3, 3, 5);
    }

    @Test
    void histogramWhoseBucketsAreAllEmptyKeepsItsRows() {
        TensorProto tensor = LegacySummaries.histogramTensor(
                histogram(0, 0, new double[] {1, 2, DBL_MAX}, new double[] {0, 0, 0}));

        assertThat(TensorValues.shape(tensor)).containsExactly(3, 3);
        assertThat(TensorValues.doubles(tensor)).containsExactly(0, 1, 0, 1, 2, 0, 2, 0, 0);
    }

    @Test
    void histogramWithNoBucketsAtAllBecomesZeroRows() {
        TensorProto tensor = LegacySummaries.histogramTensor(HistogramProto.getDefaultInstance());

        assertThat(TensorValues.shape(tensor)).containsExactly(0, 3);
    }

    @Test
    void histogramWithTooFewLimitsUsesMaxForTheMissingEdges() {
        HistogramProto histo = histogram(0, 9, new double[] {1}, new double[] {1, 2, 3});

        assertThat(LegacySummaries.hasMissingLimits(histo)).isTrue();
        assertThat(TensorValues.doubles(LegacySummaries.histogramTensor(histo)))
                .containsExactly(0, 1, 1, 1, 9, 2, 9, 9, 3);
    }

    @Test
    void imageBecomesWidthHeightAndEncodedImageStrings() throws Exception {
        ByteString png = ByteString.copyFromUtf8("\u0089PNG...");
        Summary.Value value = Summary.Value.newBuilder().setTag("viz")
                .setImage(Summary.Image.newBuilder().setWidth(12).setHeight(8).setColorspace(3)
                        .setEncodedImageString(png))
                .build();

        Summary.Value migrated = LegacySummaries.migrate(value);

        assertThat(migrated.getTensor().getDtype()).isEqualTo(DataType.DT_STRING);
        assertThat(TensorValues.shape(migrated.getTensor())).containsExactly(3);
        assertThat(migrated.getTensor().getStringValList())
                .containsExactly(ByteString.copyFromUtf8("12"), ByteString.copyFromUtf8("8"), png);
        assertThat(migrated.getMetadata().getPluginData().getPluginName()).isEqualTo("images");
        assertThat(ImagePluginData.parseFrom(migrated.getMetadata().getPluginData().getContent()).getConvertedToTensor())
                .isTrue();
    }

    @Test
    void audioBecomesOneClipWithAnEmptyLabel() throws Exception {
        ByteString wav = ByteString.copyFromUtf8("RIFF....WAVE");
        Summary.Value value = Summary.Value.newBuilder().setTag("tone")
                .setAudio(Summary.Audio.newBuilder().setSampleRate(8000).setEncodedAudioString(wav))
                .build();

        Summary.Value migrated = LegacySummaries.migrate(value);

        assertThat(TensorValues.shape(migrated.getTensor())).containsExactly(1, 2);
        assertThat(migrated.getTensor().getStringValList()).containsExactly(wav, ByteString.EMPTY);
        AudioPluginData content = AudioPluginData.parseFrom(migrated.getMetadata().getPluginData().getContent());
        assertThat(content.getEncoding()).as("legacy audio does not say").isEqualTo(AudioPluginData.Encoding.UNKNOWN);
        assertThat(content.getConvertedToTensor()).isTrue();
    }

    @Test
    void currentStyleValuesAreReturnedUnchanged() {
        Summary.Value value = Summary.Value.newBuilder().setTag("t")
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(1)).build();

        assertThat(LegacySummaries.migrate(value)).isSameAs(value);
        assertThat(LegacySummaries.isLegacy(value)).isFalse();
        assertThatThrownBy(() -> LegacySummaries.metadataFor(value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TENSOR");
    }
}
