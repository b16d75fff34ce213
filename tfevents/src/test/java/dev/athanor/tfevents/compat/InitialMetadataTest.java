package dev.athanor.tfevents.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class InitialMetadataTest {

    private static SummaryMetadata plugin(String name, String content) {
        return SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder()
                .setPluginName(name).setContent(ByteString.copyFromUtf8(content))).build();
    }

    private static Summary.Value tensorValue(SummaryMetadata metadata) {
        Summary.Value.Builder value = Summary.Value.newBuilder().setTag("t")
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8("x")));
        if (metadata != null) {
            value.setMetadata(metadata);
        }
        return value.build();
    }

    @ParameterizedTest
    @CsvSource({
            "scalars, DATA_CLASS_SCALAR",
            "histograms, DATA_CLASS_TENSOR",
            "text, DATA_CLASS_TENSOR",
            "pr_curves, DATA_CLASS_TENSOR",
            "hparams, DATA_CLASS_TENSOR",
            "mesh, DATA_CLASS_TENSOR",
            "custom_scalars, DATA_CLASS_TENSOR",
            "images, DATA_CLASS_BLOB_SEQUENCE",
            "audio, DATA_CLASS_BLOB_SEQUENCE",
            "graph_run_metadata, DATA_CLASS_BLOB_SEQUENCE",
            "graph_run_metadata_graph, DATA_CLASS_BLOB_SEQUENCE",
            "graph_keras_model, DATA_CLASS_BLOB_SEQUENCE",
            "projector, DATA_CLASS_UNKNOWN",
    })
    void knownPluginsGetTheirDataClassAndKeepTheirContent(String pluginName, DataClass expected) {
        TimeSeries series = InitialMetadata.forFirstValue("t", tensorValue(plugin(pluginName, "preserved!")));

        assertThat(series.pluginName()).isEqualTo(pluginName);
        assertThat(series.dataClass()).isEqualTo(expected);
        assertThat(series.metadata().getDataClass()).isEqualTo(expected);
        assertThat(series.metadata().getPluginData().getContent().toStringUtf8()).isEqualTo("preserved!");
    }

    @Test
    void aDataClassSetByTheWriterIsAuthoritative() {
        SummaryMetadata written = plugin("scalars", "c").toBuilder().setDataClass(DataClass.DATA_CLASS_TENSOR)
                .setDisplayName("d").build();

        TimeSeries series = InitialMetadata.forFirstValue("t",
                Summary.Value.newBuilder().setTag("t").setSimpleValue(1).setMetadata(written).build());

        assertThat(series.dataClass()).isEqualTo(DataClass.DATA_CLASS_TENSOR);
        assertThat(series.metadata()).isEqualTo(written);
    }

    @Test
    void aWriterDataClassForAnUnknownPluginIsKept() {
        SummaryMetadata written = plugin("my_videos", "").toBuilder()
                .setDataClass(DataClass.DATA_CLASS_BLOB_SEQUENCE).build();

        TimeSeries series = InitialMetadata.forFirstValue("t", tensorValue(written));

        assertThat(series.pluginName()).isEqualTo("my_videos");
        assertThat(series.dataClass()).isEqualTo(DataClass.DATA_CLASS_BLOB_SEQUENCE);
    }

    @Test
    void anUnrecognizedDataClassNumberIsKeptInTheMetadataButReadAsUnknown() {
        SummaryMetadata written = plugin("future", "").toBuilder().setDataClassValue(42).build();

        TimeSeries series = InitialMetadata.forFirstValue("t", tensorValue(written));

        assertThat(series.dataClass()).isEqualTo(DataClass.DATA_CLASS_UNKNOWN);
        assertThat(series.metadata().getDataClassValue()).isEqualTo(42);
    }

    @Test
    void legacyValuesGetSynthesizedMetadataWhateverPluginTheWriterNamed() {
        SummaryMetadata written = plugin("ignored_plugin", "ignored_content");
        Summary.Value simple = Summary.Value.newBuilder().setTag("s").setSimpleValue(0.125f).setMetadata(written).build();
        Summary.Value histo = Summary.Value.newBuilder().setTag("h").setHisto(HistogramProto.getDefaultInstance()).build();
        Summary.Value image = Summary.Value.newBuilder().setTag("i").setImage(Summary.Image.getDefaultInstance()).build();
        Summary.Value audio = Summary.Value.newBuilder().setTag("a").setAudio(Summary.Audio.getDefaultInstance()).build();

        TimeSeries scalar = InitialMetadata.forFirstValue("s", simple);
        assertThat(scalar.pluginName()).isEqualTo("scalars");
        assertThat(scalar.dataClass()).isEqualTo(DataClass.DATA_CLASS_SCALAR);
        assertThat(scalar.metadata().getPluginData().getContent()).isEmpty();
        assertThat(InitialMetadata.forFirstValue("h", histo).dataClass()).isEqualTo(DataClass.DATA_CLASS_TENSOR);
        assertThat(InitialMetadata.forFirstValue("i", image).pluginName()).isEqualTo("images");
        assertThat(InitialMetadata.forFirstValue("i", image).dataClass()).isEqualTo(DataClass.DATA_CLASS_BLOB_SEQUENCE);
        assertThat(InitialMetadata.forFirstValue("a", audio).pluginName()).isEqualTo("audio");
        assertThat(List.of(simple, histo, image, audio)).allSatisfy(value -> assertThat(
                InitialMetadata.forFirstValue(value.getTag(), value).fromLegacyValue()).isTrue());
        assertThat(InitialMetadata.forFirstValue("t", tensorValue(null)).fromLegacyValue()).isFalse();
    }

    @Test
    void aTensorWithoutMetadataIsKeptAsAnUnknownSeries() {
        TimeSeries series = InitialMetadata.forFirstValue("t", tensorValue(null));

        assertThat(series.pluginName()).isEmpty();
        assertThat(series.dataClass()).isEqualTo(DataClass.DATA_CLASS_UNKNOWN);
        assertThat(series.metadata()).isEqualTo(SummaryMetadata.getDefaultInstance());
    }

    @Test
    void graphEventsGetFixedBlobSeries() {
        assertThat(InitialMetadata.runGraph().tag()).isEqualTo("__run_graph__");
        assertThat(InitialMetadata.runGraph().pluginName()).isEqualTo("graphs");
        assertThat(InitialMetadata.runGraph().dataClass()).isEqualTo(DataClass.DATA_CLASS_BLOB_SEQUENCE);
        TimeSeries tagged = InitialMetadata.taggedRunMetadata("step1");
        assertThat(tagged.tag()).isEqualTo("step1");
        assertThat(tagged.pluginName()).isEqualTo("graph_tagged_run_metadata");
        assertThat(tagged.metadata().getDataClass()).isEqualTo(DataClass.DATA_CLASS_BLOB_SEQUENCE);
        assertThat(InitialMetadata.runMetaGraph().tag()).isEqualTo("__run_meta_graph__");
    }
}
