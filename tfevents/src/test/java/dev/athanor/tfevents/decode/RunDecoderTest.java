package dev.athanor.tfevents.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Value;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.SessionLog;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TaggedRunMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.proto.tensorboard.hparams.Experiment;
import dev.athanor.proto.tensorboard.hparams.HParamInfo;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.proto.tensorboard.hparams.Interval;
import dev.athanor.proto.tensorboard.hparams.MetricInfo;
import dev.athanor.proto.tensorboard.hparams.MetricName;
import dev.athanor.proto.tensorboard.hparams.SessionEndInfo;
import dev.athanor.proto.tensorboard.hparams.SessionStartInfo;
import dev.athanor.proto.tensorboard.hparams.Status;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.compat.TimeSeries;
import dev.athanor.tfevents.event.EventRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunDecoderTest {

    private final List<DecodeProblem> problems = new ArrayList<>();
    private final RunDecoder decoder = new RunDecoder("train", problems::add);

    private static Event event(long step, Summary.Value... values) {
        return Event.newBuilder().setStep(step).setWallTime(1000.0 + step)
                .setSummary(Summary.newBuilder().addAllValue(List.of(values))).build();
    }

    private static SummaryMetadata plugin(String name) {
        return plugin(name, ByteString.EMPTY);
    }

    private static SummaryMetadata plugin(String name, ByteString content) {
        return SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(name).setContent(content)).build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }

    private static Summary.Value floatTensor(String tag, float value, SummaryMetadata metadata) {
        Summary.Value.Builder builder = Summary.Value.newBuilder().setTag(tag).setTensor(
                TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape()).addFloatVal(value));
        if (metadata != null) {
            builder.setMetadata(metadata);
        }
        return builder.build();
    }

    private static Summary.Value simple(String tag, float value) {
        return Summary.Value.newBuilder().setTag(tag).setSimpleValue(value).build();
    }

    private static Summary.Value hparams(String tag, HParamsPluginData data) {
        return Summary.Value.newBuilder().setTag(tag).setMetadata(plugin("hparams", data.toByteString())).build();
    }

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    @Test
    void simpleValuesBecomeScalarPointsOfTheScalarsPlugin() {
        List<DecodedValue> values = decoder.decode(event(7, simple("loss", 0.1f)));

        assertThat(values).singleElement().isInstanceOfSatisfying(ScalarPoint.class, point -> {
            assertThat(point.tag()).isEqualTo("loss");
            assertThat(point.step()).isEqualTo(7);
            assertThat(point.wallTime()).isEqualTo(1007.0);
            assertThat(point.value()).as("float widened exactly").isEqualTo((double) 0.1f);
            assertThat(point.pluginName()).isEqualTo("scalars");
            assertThat(point.dataClass()).isEqualTo(DataClass.DATA_CLASS_SCALAR);
        });
    }

    @Test
    void metadataSentOnlyWithTheFirstValueAppliesToTheLaterOnes() {
        DecodedValue first = decoder.decode(event(0, floatTensor("acc", 0.5f, plugin("scalars")))).getFirst();
        DecodedValue second = decoder.decode(event(1, floatTensor("acc", 0.75f, null))).getFirst();

        assertThat(second).isInstanceOfSatisfying(ScalarPoint.class, point -> assertThat(point.value()).isEqualTo(0.75));
        assertThat(second.series()).isSameAs(first.series());
        assertThat(problems).isEmpty();
    }

    @Test
    void aSeriesSeenFirstWithoutMetadataStaysUnknownButKeepsItsValues() {
        // Reading from the middle of a run without restoring the tag's metadata: the values are
        // not lost, they just cannot be known as scalars. restore() is the cure (next test).
        DecodedValue value = decoder.decode(event(1, floatTensor("acc", 0.75f, null))).getFirst();

        assertThat(value).isInstanceOf(TensorPoint.class);
        assertThat(value.dataClass()).isEqualTo(DataClass.DATA_CLASS_UNKNOWN);
    }

    @Test
    void restoredSeriesLetADecoderResumeMidRun() {
        decoder.tags().restore(TimeSeries.fromMetadata("acc", plugin("scalars")));

        DecodedValue value = decoder.decode(event(1, floatTensor("acc", 0.75f, null))).getFirst();

        assertThat(value).isInstanceOfSatisfying(ScalarPoint.class, point -> assertThat(point.value()).isEqualTo(0.75));
    }

    @Test
    void stepRewindsArePassedThroughInOrder() {
        List<Long> steps = new ArrayList<>();
        for (long step : new long[] {0, 1, 2, 3, 1, 2}) {
            decoder.decode(event(step, simple("loss", step)), value -> steps.add(value.step()));
        }

        assertThat(steps).containsExactly(0L, 1L, 2L, 3L, 1L, 2L);
    }

    @Test
    void everyValueOfAnEventIsDecodedInOrder() {
        List<DecodedValue> values = decoder.decode(event(3, simple("a", 1), simple("b", 2), simple("a", 3)));

        assertThat(values).extracting(DecodedValue::tag).containsExactly("a", "b", "a");
        assertThat(values).extracting(v -> ((ScalarPoint) v).value()).containsExactly(1.0, 2.0, 3.0);
        assertThat(decoder.values()).isEqualTo(3);
    }

    @Test
    void legacyHistogramsBecomeTensorPointsWithEveryBucket() {
        Summary.Value histo = Summary.Value.newBuilder().setTag("w").setHisto(HistogramProto.newBuilder()
                .setMin(-1).setMax(2).addAllBucketLimit(List.of(-1.5, -0.5, 0.5, 1.5, Double.MAX_VALUE))
                .addAllBucket(List.of(0.0, 1.0, 0.0, 2.0, 0.0))).build();

        DecodedValue value = decoder.decode(event(0, histo)).getFirst();

        assertThat(value).isInstanceOfSatisfying(TensorPoint.class, point -> {
            assertThat(point.pluginName()).isEqualTo("histograms");
            assertThat(point.dataClass()).isEqualTo(DataClass.DATA_CLASS_TENSOR);
            assertThat(point.shape()).containsExactly(5, 3);
            assertThat(TensorValues.doubles(point.tensor()))
                    .containsExactly(-1, -1.5, 0, -1.5, -0.5, 1, -0.5, 0.5, 0, 0.5, 1.5, 2, 1.5, 2, 0);
        });
    }

    @Test
    void emptyAndAllEmptyHistogramsAreKeptWithTheirBuckets() {
        Summary.Value empty = Summary.Value.newBuilder().setTag("w").setHisto(HistogramProto.getDefaultInstance()).build();
        Summary.Value allEmpty = Summary.Value.newBuilder().setTag("w").setHisto(HistogramProto.newBuilder()
                .addAllBucketLimit(List.of(1.0, 2.0)).addAllBucket(List.of(0.0, 0.0))).build();

        List<DecodedValue> values = new ArrayList<>(decoder.decode(event(0, empty)));
        values.addAll(decoder.decode(event(1, allEmpty)));

        assertThat(values).hasSize(2);
        assertThat(values).extracting(value -> ((TensorPoint) value).shape())
                .containsExactly(new long[] {0, 3}, new long[] {2, 3});
        assertThat(problems).isEmpty();
    }

    @Test
    void aHistogramMissingLimitsIsKeptAndReported() {
        Summary.Value histo = Summary.Value.newBuilder().setTag("w").setHisto(HistogramProto.newBuilder()
                .setMax(5).addBucketLimit(1).addAllBucket(List.of(1.0, 1.0))).build();

        assertThat(decoder.decode(event(4, histo))).singleElement().isInstanceOf(TensorPoint.class);
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(DecodeProblem.Kind.MALFORMED_HISTOGRAM);
            assertThat(problem.message()).contains("run 'train'", "tag 'w'", "step 4", "2 buckets", "1 bucket limits");
        });
    }

    @Test
    void legacyImagesAndAudioBecomeBlobSequences() {
        ByteString png = bytes("png-bytes");
        ByteString wav = bytes("wav-bytes");
        Summary.Value image = Summary.Value.newBuilder().setTag("img")
                .setImage(Summary.Image.newBuilder().setWidth(32).setHeight(8).setEncodedImageString(png)).build();
        Summary.Value audio = Summary.Value.newBuilder().setTag("snd")
                .setAudio(Summary.Audio.newBuilder().setEncodedAudioString(wav)).build();

        List<DecodedValue> values = decoder.decode(event(0, image, audio));

        assertThat(values.get(0)).isInstanceOfSatisfying(BlobSequencePoint.class, point -> {
            assertThat(point.pluginName()).isEqualTo("images");
            assertThat(point.dataClass()).isEqualTo(DataClass.DATA_CLASS_BLOB_SEQUENCE);
            assertThat(point.blobs()).containsExactly(bytes("32"), bytes("8"), png);
        });
        assertThat(values.get(1)).isInstanceOfSatisfying(BlobSequencePoint.class, point -> {
            assertThat(point.pluginName()).isEqualTo("audio");
            assertThat(point.blobs()).containsExactly(wav);
        });
    }

    @Test
    void tf2AudioTensorsKeepTheirClips() {
        Summary.Value audio = Summary.Value.newBuilder().setTag("tone").setMetadata(plugin("audio"))
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(2, 2))
                        .addStringVal(bytes("a")).addStringVal(bytes("label"))
                        .addStringVal(bytes("b")).addStringVal(ByteString.EMPTY)).build();

        assertThat(decoder.decode(event(0, audio))).singleElement().isInstanceOfSatisfying(BlobSequencePoint.class,
                point -> assertThat(point.blobs()).containsExactly(bytes("a"), bytes("b")));
    }

    @Test
    void unknownPluginsAreKeptAsTensorsWithTheirMetadata() {
        SummaryMetadata metadata = plugin("projector", bytes("config"));
        Summary.Value value = Summary.Value.newBuilder().setTag("emb").setMetadata(metadata)
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(bytes("x"))).build();

        DecodedValue decoded = decoder.decode(event(2, value)).getFirst();

        assertThat(decoded).isInstanceOfSatisfying(TensorPoint.class, point -> {
            assertThat(point.pluginName()).isEqualTo("projector");
            assertThat(point.dataClass()).isEqualTo(DataClass.DATA_CLASS_UNKNOWN);
            assertThat(point.series().metadata()).isEqualTo(metadata);
            assertThat(point.tensor()).isEqualTo(value.getTensor());
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theWritersDataClassDecidesTheFormOfAnUnknownPlugin() {
        SummaryMetadata metadata = plugin("my_videos").toBuilder().setDataClass(DataClass.DATA_CLASS_BLOB_SEQUENCE).build();
        Summary.Value value = Summary.Value.newBuilder().setTag("clip").setMetadata(metadata)
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(1))
                        .addStringVal(bytes("mp4"))).build();

        assertThat(decoder.decode(event(0, value))).singleElement().isInstanceOfSatisfying(BlobSequencePoint.class,
                point -> {
                    assertThat(point.pluginName()).isEqualTo("my_videos");
                    assertThat(point.blobs()).containsExactly(bytes("mp4"));
                });
    }

    @Test
    void aValueThatDoesNotFitItsSeriesIsKeptAsWhatItIsAndReported() {
        decoder.decode(event(0, floatTensor("loss", 1, plugin("scalars"))));
        Summary.Value text = Summary.Value.newBuilder().setTag("loss")
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(bytes("oops"))).build();

        DecodedValue kept = decoder.decode(new EventRecord(4242, new byte[0], event(1, text))).getFirst();

        assertThat(kept).isInstanceOfSatisfying(TensorPoint.class, point -> {
            assertThat(point.dataClass()).isEqualTo(DataClass.DATA_CLASS_TENSOR);
            assertThat(point.tensor()).isEqualTo(text.getTensor());
        });
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(DecodeProblem.Kind.VALUE_DOES_NOT_FIT_SERIES);
            assertThat(problem.offset()).isEqualTo(4242);
            assertThat(problem.tag()).isEqualTo("loss");
            assertThat(problem.step()).isEqualTo(1);
            assertThat(problem.message()).contains("offset 4242", "DT_STRING", "DATA_CLASS_SCALAR");
        });
        assertThat(decoder.problemCount()).isEqualTo(1);
    }

    @Test
    void graphsAndRunMetadataBecomeBlobValues() {
        ByteString graph = bytes("graph-def");
        ByteString metaGraph = bytes("meta-graph-def");
        ByteString runMetadata = bytes("run-metadata");

        List<DecodedValue> values = new ArrayList<>();
        values.addAll(decoder.decode(Event.newBuilder().setStep(0).setGraphDef(graph).build()));
        values.addAll(decoder.decode(Event.newBuilder().setStep(0).setMetaGraphDef(metaGraph).build()));
        values.addAll(decoder.decode(Event.newBuilder().setStep(5).setTaggedRunMetadata(
                TaggedRunMetadata.newBuilder().setTag("step5").setRunMetadata(runMetadata)).build()));

        assertThat(values).hasSize(3).allSatisfy(value -> assertThat(value.dataClass())
                .isEqualTo(DataClass.DATA_CLASS_BLOB_SEQUENCE));
        assertThat(values).extracting(DecodedValue::tag).containsExactly("__run_graph__", "__run_meta_graph__", "step5");
        assertThat(values).extracting(DecodedValue::pluginName)
                .containsExactly("graphs", "graph_meta_graph", "graph_tagged_run_metadata");
        assertThat(values).extracting(v -> ((BlobSequencePoint) v).blobs())
                .containsExactly(List.of(graph), List.of(metaGraph), List.of(runMetadata));
        assertThat(values.get(2).step()).isEqualTo(5);
    }

    @Test
    void eventsWithoutValuesGiveNoneAndAreCounted() {
        decoder.decode(Event.newBuilder().setWallTime(1).setFileVersion("brain.Event:2").build());
        decoder.decode(Event.newBuilder().setWallTime(2).build());
        decoder.decode(Event.newBuilder().setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START)).build());

        assertThat(decoder.events()).isEqualTo(3);
        assertThat(decoder.eventsWithoutValues()).isEqualTo(3);
        assertThat(decoder.values()).isZero();
        assertThat(decoder.fileVersion()).isEqualTo("brain.Event:2");
    }

    @Test
    void nodeNameStandsInForAnEmptyTag() {
        Summary.Value value = Summary.Value.newBuilder().setNodeName("old/text").setSimpleValue(1).build();

        assertThat(decoder.decode(event(0, value))).singleElement()
                .satisfies(decoded -> assertThat(decoded.tag()).isEqualTo("old/text"));
    }

    @Test
    void sinkAndListFormsGiveTheSameValues() {
        Event event = event(1, simple("a", 1), simple("b", 2));
        RunDecoder other = new RunDecoder("train");
        List<DecodedValue> viaSink = new ArrayList<>();
        other.decode(event, viaSink::add);

        assertThat(decoder.decode(event)).isEqualTo(viaSink);
    }

    @Test
    void hparamsExperimentIsDecodedIntoDefinitions() {
        Experiment experiment = Experiment.newBuilder().setTimeCreatedSecs(12.5)
                .addHparamInfos(HParamInfo.newBuilder().setName("lr")
                        .setType(dev.athanor.proto.tensorboard.hparams.DataType.DATA_TYPE_FLOAT64)
                        .setDomainInterval(Interval.newBuilder().setMinValue(1e-4).setMaxValue(0.1)))
                .addHparamInfos(HParamInfo.newBuilder().setName("optimizer")
                        .setType(dev.athanor.proto.tensorboard.hparams.DataType.DATA_TYPE_STRING)
                        .setDomainDiscrete(ListValue.newBuilder()
                                .addValues(Value.newBuilder().setStringValue("adam"))
                                .addValues(Value.newBuilder().setStringValue("sgd"))))
                .addHparamInfos(HParamInfo.newBuilder().setName("seed"))
                .addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setGroup("validation").setTag("acc")))
                .build();

        DecodedValue value = decoder.decode(event(0, hparams("_hparams_/experiment",
                HParamsPluginData.newBuilder().setExperiment(experiment).build()))).getFirst();

        assertThat(value).isInstanceOfSatisfying(HParamsExperiment.class, decoded -> {
            assertThat(decoded.pluginName()).isEqualTo("hparams");
            assertThat(decoded.dataClass()).isEqualTo(DataClass.DATA_CLASS_TENSOR);
            assertThat(decoded.timeCreatedSecs()).isEqualTo(12.5);
            assertThat(decoded.hparams()).extracting(HParamDefinition::name).containsExactly("lr", "optimizer", "seed");
            assertThat(decoded.hparams().get(0).domain()).isEqualTo(new HParamDefinition.Interval(1e-4, 0.1));
            assertThat(decoded.hparams().get(1).domain()).isEqualTo(new HParamDefinition.Discrete(List.of(
                    new HParamValue.StringValue("adam"), new HParamValue.StringValue("sgd"))));
            assertThat(decoded.hparams().get(2).domain()).isInstanceOf(HParamDefinition.Unbounded.class);
            assertThat(decoded.metrics()).singleElement().satisfies(metric -> {
                assertThat(metric.group()).isEqualTo("validation");
                assertThat(metric.tag()).isEqualTo("acc");
            });
        });
    }

    @Test
    void hparamsSessionStartHasTypedValuesSortedByName() {
        SessionStartInfo start = SessionStartInfo.newBuilder().setGroupName("g").setStartTimeSecs(5)
                .putHparams("optimizer", Value.newBuilder().setStringValue("adam").build())
                .putHparams("lr", Value.newBuilder().setNumberValue(0.01).build())
                .putHparams("amp", Value.newBuilder().setBoolValue(true).build())
                .putHparams("note", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
                .build();
        // TF writes the hparams records with an empty [0] float tensor; PyTorch with no value at all.
        Summary.Value value = hparams("_hparams_/session_start_info",
                HParamsPluginData.newBuilder().setSessionStartInfo(start).build()).toBuilder()
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(0))).build();

        DecodedValue decoded = decoder.decode(event(0, value)).getFirst();

        assertThat(decoded).isInstanceOfSatisfying(HParamsSessionStart.class, session -> {
            assertThat(session.hparams().keySet()).containsExactly("amp", "lr", "note", "optimizer");
            assertThat(session.hparams()).containsEntry("lr", new HParamValue.NumberValue(0.01))
                    .containsEntry("amp", new HParamValue.BoolValue(true))
                    .containsEntry("optimizer", new HParamValue.StringValue("adam"))
                    .containsEntry("note", new HParamValue.NullValue());
            assertThat(session.groupName()).isEqualTo("g");
            assertThat(session.startTimeSecs()).isEqualTo(5);
        });
    }

    @Test
    void hparamsSessionEndHasStatusAndTime() {
        DecodedValue decoded = decoder.decode(event(0, hparams("_hparams_/session_end_info",
                HParamsPluginData.newBuilder().setSessionEndInfo(SessionEndInfo.newBuilder()
                        .setStatus(Status.STATUS_FAILURE).setEndTimeSecs(99.5)).build()))).getFirst();

        assertThat(decoded).isEqualTo(new HParamsSessionEnd(decoded.series(), 0, 1000.0, Status.STATUS_FAILURE, 99.5));
    }

    @Test
    void unreadableHparamsContentIsKeptAsATensorAndReported() {
        Summary.Value garbage = Summary.Value.newBuilder().setTag("_hparams_/experiment")
                .setMetadata(plugin("hparams", ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}))).build();
        Summary.Value empty = Summary.Value.newBuilder().setTag("_hparams_/other").setMetadata(plugin("hparams")).build();

        List<DecodedValue> values = decoder.decode(event(0, garbage, empty));

        assertThat(values).hasSize(2).allSatisfy(value -> assertThat(value).isInstanceOf(TensorPoint.class));
        assertThat(problems).extracting(DecodeProblem::kind)
                .containsExactly(DecodeProblem.Kind.BAD_HPARAMS_CONTENT, DecodeProblem.Kind.BAD_HPARAMS_CONTENT);
        assertThat(problems.get(0).message()).contains("_hparams_/experiment", "not an HParamsPluginData");
        assertThat(problems.get(1).message()).contains("holds no experiment");
    }

    @Test
    void anObsoleteHistogramIsKeptAndReported() {
        Summary.Value old = Summary.Value.newBuilder().setTag("h").setObsoleteOldStyleHistogram(bytes("old")).build();

        assertThat(decoder.decode(event(0, old))).singleElement().isInstanceOfSatisfying(TensorPoint.class,
                point -> assertThat(point.tensor().getStringValList()).containsExactly(bytes("old")));
        assertThat(problems).extracting(DecodeProblem::kind).contains(DecodeProblem.Kind.OBSOLETE_HISTOGRAM);
    }
}
