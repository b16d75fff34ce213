package dev.athanor.tfevents.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import org.junit.jupiter.api.Test;

class TagMetadataTrackerTest {

    private static Summary.Value scalarTensor(String tag, SummaryMetadata metadata) {
        Summary.Value.Builder value = Summary.Value.newBuilder().setTag(tag)
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(1));
        if (metadata != null) {
            value.setMetadata(metadata);
        }
        return value.build();
    }

    private static SummaryMetadata plugin(String name) {
        return SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(name)).build();
    }

    @Test
    void metadataOfTheFirstValueServesTheLaterValuesThatHaveNone() {
        TagMetadataTracker tracker = new TagMetadataTracker();

        TimeSeries first = tracker.seriesFor("loss", scalarTensor("loss", plugin("scalars")));
        TimeSeries later = tracker.seriesFor("loss", scalarTensor("loss", null));

        assertThat(later).isSameAs(first);
        assertThat(later.dataClass()).isEqualTo(DataClass.DATA_CLASS_SCALAR);
    }

    @Test
    void laterMetadataDoesNotChangeTheSeries() {
        TagMetadataTracker tracker = new TagMetadataTracker();
        tracker.seriesFor("x", scalarTensor("x", plugin("scalars")));

        assertThat(tracker.seriesFor("x", scalarTensor("x", plugin("text"))).pluginName()).isEqualTo("scalars");
    }

    @Test
    void tagsAreTrackedSeparatelyInOrderOfFirstAppearance() {
        TagMetadataTracker tracker = new TagMetadataTracker();
        tracker.seriesFor("b", scalarTensor("b", plugin("scalars")));
        tracker.seriesFor("a", scalarTensor("a", plugin("text")));
        tracker.runGraph();

        assertThat(tracker.series()).extracting(TimeSeries::tag).containsExactly("b", "a", "__run_graph__");
        assertThat(tracker.get("a").pluginName()).isEqualTo("text");
        assertThat(tracker.get("missing")).isNull();
    }

    @Test
    void aRestoredSeriesIsUsedForValuesWithoutMetadata() {
        TagMetadataTracker tracker = new TagMetadataTracker();
        tracker.restore(TimeSeries.fromMetadata("loss", plugin("scalars")));

        TimeSeries series = tracker.seriesFor("loss", scalarTensor("loss", null));

        assertThat(series.pluginName()).isEqualTo("scalars");
        assertThat(series.dataClass()).isEqualTo(DataClass.DATA_CLASS_SCALAR);
    }
}
