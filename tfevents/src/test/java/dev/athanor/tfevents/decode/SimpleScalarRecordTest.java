package dev.athanor.tfevents.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.compat.TimeSeries;
import dev.athanor.tfevents.record.RecordDrain;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import dev.athanor.tfevents.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lean scalar reader agrees with protobuf and with {@link RunDecoder} on every record it accepts,
 * and declines every other shape.
 */
class SimpleScalarRecordTest {

    private final SimpleScalarRecord reader = new SimpleScalarRecord();

    @Test
    void agreesWithProtobufOnEveryFixtureRecordItAccepts() throws Exception {
        int accepted = 0;
        int declined = 0;
        int tensors = 0;
        for (Path file : Fixtures.eventFiles()) {
            for (TfRecord r : records(file)) {
                byte[] p = r.payload();
                Event e = Event.parseFrom(p);
                boolean simpleShape = e.hasSummary() && e.getSummary().getValueCount() == 1
                        && (e.getSummary().getValue(0).getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE
                            || isScalarTensor(e.getSummary().getValue(0)))
                        && !e.getSummary().getValue(0).getTag().isEmpty()
                        && e.getSummary().getValue(0).getNodeName().isEmpty() && !e.hasSourceMetadata()
                        && e.getUnknownFields().asMap().isEmpty()
                        && e.getSummary().getValue(0).getTag().chars().allMatch(c -> c < 0x80);
                boolean parsed = reader.parse(p, 0, p.length);
                assertThat(parsed).as("%s at %d", file.getFileName(), r.offset()).isEqualTo(simpleShape);
                if (parsed) {
                    accepted++;
                    Summary.Value v = e.getSummary().getValue(0);
                    assertThat(reader.tag()).isEqualTo(v.getTag());
                    assertThat(reader.step()).isEqualTo(e.getStep());
                    assertThat(Double.compare(reader.wallTime(), e.getWallTime())).isZero();
                    double expected = v.hasTensor() ? TensorValues.singleNumber(v.getTensor()) : v.getSimpleValue();
                    assertThat(Double.compare(reader.value(), expected)).isZero();
                    if (v.hasTensor()) {
                        tensors++;
                    }
                } else {
                    declined++;
                }
            }
        }
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(tensors).as("TF2 scalar tensors read by the lean path").isGreaterThan(50);
        assertThat(declined).isGreaterThan(100);
    }

    /**
     * The indexer's use: once a tag is a known scalar series, the fast path stands in for
     * {@code RunDecoder.decode}. On every such fixture record, the decoder must give exactly one
     * {@link ScalarPoint} of that series with the same step, wall time and value (bit for bit).
     */
    @Test
    void decodesTheSameAsRunDecoderForKnownScalarSeries() throws Exception {
        int compared = 0;
        int files = 0;
        for (Path file : Fixtures.eventFiles()) {
            RunDecoder decoder = new RunDecoder(Fixtures.relativeName(file));
            boolean any = false;
            for (TfRecord r : records(file)) {
                byte[] p = r.payload();
                boolean fast = reader.parse(p, 0, p.length);
                TimeSeries known = fast ? decoder.tags().get(reader.tag()) : null;
                List<DecodedValue> full = decoder.decode(Event.parseFrom(p));
                if (known == null || known.dataClass() != DataClass.DATA_CLASS_SCALAR) {
                    continue; // the indexer decodes these fully
                }
                String where = Fixtures.relativeName(file) + " at " + r.offset();
                assertThat(full).as(where).singleElement().isInstanceOf(ScalarPoint.class);
                ScalarPoint point = (ScalarPoint) full.getFirst();
                assertThat(point.series()).as(where).isSameAs(known);
                assertThat(point.step()).as(where).isEqualTo(reader.step());
                assertThat(Double.compare(point.wallTime(), reader.wallTime())).as(where).isZero();
                assertThat(Double.doubleToRawLongBits(point.value())).as(where)
                        .isEqualTo(Double.doubleToRawLongBits(reader.value()));
                compared++;
                any = true;
            }
            if (any) {
                files++;
            }
        }
        assertThat(compared).as("records compared with the full decoder").isGreaterThan(10_000);
        assertThat(files).as("fixture files with fast-path scalars").isGreaterThan(5);
    }

    /** The fixture's records; the fixtures are clean, so a corrupt frame fails the test. */
    private static List<TfRecord> records(Path file) throws IOException {
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            RecordDrain.Outcome outcome = RecordDrain.drain(reader);
            assertThat(outcome.skips()).as("corrupt frames in %s", file).isEmpty();
            return outcome.records();
        }
    }

    /** TF2's scalar tensor exactly: rank 0, DT_FLOAT/DT_DOUBLE, one typed value, nothing else. */
    private static boolean isScalarTensor(Summary.Value v) {
        if (v.getValueCase() != Summary.Value.ValueCase.TENSOR) {
            return false;
        }
        TensorProto t = v.getTensor();
        TensorProto.Builder expected = TensorProto.newBuilder().setDtype(t.getDtype());
        int width = t.getDtype() == DataType.DT_FLOAT ? 4 : t.getDtype() == DataType.DT_DOUBLE ? 8 : 0;
        if (width == 4 && t.getFloatValCount() == 1 && t.getTensorContent().isEmpty()) {
            expected.addFloatVal(t.getFloatVal(0));
        } else if (width == 8 && t.getDoubleValCount() == 1 && t.getTensorContent().isEmpty()) {
            expected.addDoubleVal(t.getDoubleVal(0));
        } else if (width > 0 && t.getTensorContent().size() == width) {
            expected.setTensorContent(t.getTensorContent());
        } else {
            return false;
        }
        // Equal ignoring a present-but-empty shape; any other field makes it a different shape.
        return t.getTensorShape().getDimCount() == 0 && !t.getTensorShape().getUnknownRank()
                && t.toBuilder().clearTensorShape().build().equals(expected.build());
    }

    @Test
    void declinesOtherShapesAndDamagedBytes() {
        Event withHisto = Event.newBuilder().setStep(1).setSummary(Summary.newBuilder().addValue(
                Summary.Value.newBuilder().setTag("x").setMetadata(SummaryMetadata.newBuilder()
                        .setDisplayName("x")).setHisto(dev.athanor.proto.tensorboard.HistogramProto.newBuilder()
                        .setNum(1)))).build();
        Event vector = Event.newBuilder().setStep(1).setSummary(Summary.newBuilder().addValue(
                Summary.Value.newBuilder().setTag("v").setTensor(TensorProto.newBuilder()
                        .setDtype(DataType.DT_FLOAT).setTensorShape(dev.athanor.proto.tensorboard.TensorShapeProto
                                .newBuilder().addDim(dev.athanor.proto.tensorboard.TensorShapeProto.Dim.newBuilder()
                                        .setSize(2))).addFloatVal(1).addFloatVal(2)))).build();
        Event twoValues = Event.newBuilder().setStep(1).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("a").setSimpleValue(1))
                .addValue(Summary.Value.newBuilder().setTag("b").setSimpleValue(2))).build();
        Event negativeStep = Event.newBuilder().setStep(-3).setWallTime(2.5).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("neg").setSimpleValue(Float.NaN))).build();
        for (Event e : List.of(withHisto, vector, twoValues, Event.newBuilder().setFileVersion("brain.Event:2").build())) {
            byte[] b = e.toByteArray();
            assertThat(reader.parse(b, 0, b.length)).as(e.toString()).isFalse();
        }
        byte[] neg = negativeStep.toByteArray();
        assertThat(reader.parse(neg, 0, neg.length)).isTrue();
        assertThat(reader.step()).isEqualTo(-3);
        assertThat(reader.value()).isNaN();
        for (int cut = 0; cut < neg.length; cut++) {
            assertThat(reader.parse(neg, 0, cut)).as("truncated at %d", cut).isFalse();
        }
    }

    @Test
    void tagsAreRightWhenMoreTagsTakeTurnsThanAreRemembered() {
        // 40 tags of equal length and shared prefixes, twice round: more than the reader remembers.
        for (int round = 0; round < 2; round++) {
            for (int t = 0; t < 40; t++) {
                String tag = "loss/%02d".formatted(t);
                byte[] p = Event.newBuilder().setStep(t).setSummary(Summary.newBuilder().addValue(
                        Summary.Value.newBuilder().setTag(tag).setSimpleValue(t))).build().toByteArray();
                assertThat(reader.parse(p, 0, p.length)).isTrue();
                assertThat(reader.tag()).isEqualTo(tag);
            }
        }
    }

    @Test
    void aRepeatedTagIsTheSameStringEachTime() {
        byte[] p = Event.newBuilder().setStep(1).setSummary(Summary.newBuilder().addValue(
                Summary.Value.newBuilder().setTag("train/loss").setSimpleValue(1))).build().toByteArray();
        assertThat(reader.parse(p, 0, p.length)).isTrue();
        String first = reader.tag();
        assertThat(reader.parse(p.clone(), 0, p.length)).isTrue();
        assertThat(reader.tag()).isSameAs(first).isEqualTo("train/loss");
    }
}
