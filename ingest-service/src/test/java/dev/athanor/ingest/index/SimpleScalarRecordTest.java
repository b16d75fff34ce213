package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lean scalar reader agrees with protobuf on every record it accepts, and declines every other shape. */
class SimpleScalarRecordTest {

    private final SimpleScalarRecord reader = new SimpleScalarRecord();

    @Test
    void agreesWithProtobufOnEveryFixtureRecordItAccepts() throws Exception {
        int accepted = 0;
        int declined = 0;
        for (Path file : Fixtures.eventFiles()) {
            for (TfRecord r : SourceFiles.records(file)) {
                byte[] p = r.payload();
                Event e = Event.parseFrom(p);
                boolean simpleShape = e.hasSummary() && e.getSummary().getValueCount() == 1
                        && e.getSummary().getValue(0).getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE
                        && !e.getSummary().getValue(0).hasMetadata() && !e.getSummary().getValue(0).getTag().isEmpty()
                        && e.getSummary().getValue(0).getNodeName().isEmpty() && !e.hasSourceMetadata()
                        && e.getUnknownFields().asMap().isEmpty()
                        && e.getSummary().getValue(0).getTag().chars().allMatch(c -> c < 0x80);
                boolean parsed = reader.parse(p, 0, p.length);
                assertThat(parsed).as("%s at %d", file.getFileName(), r.offset()).isEqualTo(simpleShape);
                if (parsed) {
                    accepted++;
                    Summary.Value v = e.getSummary().getValue(0);
                    assertThat(reader.tag).isEqualTo(v.getTag());
                    assertThat(reader.step).isEqualTo(e.getStep());
                    assertThat(Double.compare(reader.wallTime, e.getWallTime())).isZero();
                    assertThat(Double.compare(reader.value, (double) v.getSimpleValue())).isZero();
                } else {
                    declined++;
                }
            }
        }
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(declined).isGreaterThan(100);
    }

    @Test
    void declinesOtherShapesAndDamagedBytes() {
        Event withMetadata = Event.newBuilder().setStep(1).setSummary(Summary.newBuilder().addValue(
                Summary.Value.newBuilder().setTag("x").setSimpleValue(1).setMetadata(SummaryMetadata.newBuilder()
                        .setDisplayName("x")))).build();
        Event twoValues = Event.newBuilder().setStep(1).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("a").setSimpleValue(1))
                .addValue(Summary.Value.newBuilder().setTag("b").setSimpleValue(2))).build();
        Event negativeStep = Event.newBuilder().setStep(-3).setWallTime(2.5).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("neg").setSimpleValue(Float.NaN))).build();
        for (Event e : List.of(withMetadata, twoValues, Event.newBuilder().setFileVersion("brain.Event:2").build())) {
            byte[] b = e.toByteArray();
            assertThat(reader.parse(b, 0, b.length)).as(e.toString()).isFalse();
        }
        byte[] neg = negativeStep.toByteArray();
        assertThat(reader.parse(neg, 0, neg.length)).isTrue();
        assertThat(reader.step).isEqualTo(-3);
        assertThat(reader.value).isNaN();
        for (int cut = 0; cut < neg.length; cut++) {
            assertThat(reader.parse(neg, 0, cut)).as("truncated at %d", cut).isFalse();
        }
    }
}
