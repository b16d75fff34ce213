package dev.athanor.tfevents.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.HistogramProto;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.compat.DataClasses;
import dev.athanor.tfevents.compat.PluginNames;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.HParamsSessionEnd;
import dev.athanor.tfevents.decode.HParamsSessionStart;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import dev.athanor.tfevents.testing.Fixtures;
import dev.athanor.tfevents.testing.GoldenSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The migrated view of every fixture (what the index stores) against the raw Events it came from:
 * one decoded value per Summary.Value, the data class TensorBoard assigns to the plugin, legacy
 * histograms as {@code [k, 3]} tensors with one row per bucket, min/max as outer edges and the limits between,
 * images as {@code [w, h, image]}, audio as clips, graphs and run metadata as one-blob values, and
 * no decode problem.
 */
class MigratedViewTest {

    @TestFactory
    Stream<DynamicTest> migratedValuesAreConsistentWithTheRawEvents() {
        return Fixtures.eventFiles().stream().map(file -> DynamicTest.dynamicTest(Fixtures.relativeName(file),
                () -> new Check(file).run()));
    }

    /** Collects every inconsistency of one file, each naming the record and value. */
    private static final class Check {
        private final Path file;
        private final List<String> failures = new ArrayList<>();
        private String where;

        Check(Path file) {
            this.file = file;
        }

        void run() throws Exception {
            GoldenSummary.Result result = GoldenSummary.of(file, Fixtures.relativeName(file));
            assertThat(result.decodeProblems()).as("decode problems of %s", file).isEmpty();
            for (int i = 0; i < result.records().size(); i++) {
                Event event = result.records().get(i).event();
                List<DecodedValue> decoded = result.decoded().get(i);
                where = "record at offset " + result.records().get(i).offset();
                for (DecodedValue value : decoded) {
                    expect(value.step() == event.getStep(), "step %d, event has %d", value.step(), event.getStep());
                    expect(value.wallTime() == event.getWallTime(), "wall time %s, event has %s",
                            value.wallTime(), event.getWallTime());
                }
                switch (event.getWhatCase()) {
                    case SUMMARY -> {
                        List<Summary.Value> values = event.getSummary().getValueList();
                        expect(decoded.size() == values.size(), "%d values decoded from %d Summary.Values",
                                decoded.size(), values.size());
                        for (int v = 0; v < Math.min(values.size(), decoded.size()); v++) {
                            where = "record at offset %d, value %d".formatted(result.records().get(i).offset(), v);
                            value(values.get(v), decoded.get(v));
                        }
                    }
                    case GRAPH_DEF -> blob(decoded, PluginNames.RUN_GRAPH_TAG, PluginNames.GRAPHS,
                            event.getGraphDef());
                    case META_GRAPH_DEF -> blob(decoded, PluginNames.RUN_META_GRAPH_TAG,
                            PluginNames.GRAPH_META_GRAPH, event.getMetaGraphDef());
                    case TAGGED_RUN_METADATA -> blob(decoded, event.getTaggedRunMetadata().getTag(),
                            PluginNames.GRAPH_TAGGED_RUN_METADATA, event.getTaggedRunMetadata().getRunMetadata());
                    default -> expect(decoded.isEmpty(), "%s event gave values %s", event.getWhatCase(), decoded);
                }
            }
            assertThat(failures).as("inconsistencies between the raw and the migrated view of %s",
                    Fixtures.relativeName(file)).isEmpty();
        }

        private void blob(List<DecodedValue> decoded, String tag, String plugin, ByteString bytes) {
            if (decoded.size() != 1 || !(decoded.getFirst() instanceof BlobSequencePoint point)) {
                expect(false, "expected one blob value, got %s", decoded);
                return;
            }
            expect(point.tag().equals(tag), "tag %s, expected %s", point.tag(), tag);
            expect(point.pluginName().equals(plugin), "plugin %s, expected %s", point.pluginName(), plugin);
            expect(point.dataClass() == DataClass.DATA_CLASS_BLOB_SEQUENCE, "data class %s", point.dataClass());
            expect(point.blobs().equals(List.of(bytes)), "blob differs from the event's bytes");
        }

        private void value(Summary.Value raw, DecodedValue value) {
            String tag = raw.getTag().isEmpty() ? raw.getNodeName() : raw.getTag();
            expect(value.tag().equals(tag), "tag %s, raw value has %s", value.tag(), tag);
            String plugin = value.pluginName();
            expect(value.dataClass() == DataClasses.forPlugin(plugin), "data class %s for plugin '%s'",
                    value.dataClass(), plugin);
            switch (plugin) {
                case PluginNames.SCALARS -> {
                    double expected = raw.hasTensor()
                            ? Objects.requireNonNull(TensorValues.singleNumber(raw.getTensor()))
                            : raw.getSimpleValue();
                    expect(value instanceof ScalarPoint point
                                    && Double.doubleToRawLongBits(point.value()) == Double.doubleToRawLongBits(expected),
                            "%s, expected a scalar of %s", value, expected);
                }
                case PluginNames.HISTOGRAMS -> {
                    if (value instanceof TensorPoint point) {
                        histogram(raw, point);
                    } else {
                        expect(false, "%s, expected a histogram tensor", value);
                    }
                }
                case PluginNames.IMAGES -> expectBlobs(value, raw.hasImage()
                        ? List.of(ascii(raw.getImage().getWidth()), ascii(raw.getImage().getHeight()),
                        raw.getImage().getEncodedImageString())
                        : raw.getTensor().getStringValList());
                case PluginNames.AUDIO -> expectBlobs(value, raw.hasAudio()
                        ? List.of(raw.getAudio().getEncodedAudioString())
                        : everyOther(raw.getTensor().getStringValList()));
                case PluginNames.HPARAMS -> expect(value instanceof HParamsExperiment
                        || value instanceof HParamsSessionStart || value instanceof HParamsSessionEnd,
                        "%s, expected a typed hparams value", value);
                case PluginNames.GRAPH_KERAS_MODEL, PluginNames.GRAPH_RUN_METADATA,
                     PluginNames.GRAPH_RUN_METADATA_WITH_GRAPH -> expectBlobs(value, raw.getTensor().getStringValList());
                default -> expect(value instanceof TensorPoint point && point.tensor().equals(raw.getTensor()),
                        "%s, expected the writer's tensor unchanged", value);
            }
        }

        private void expectBlobs(DecodedValue value, List<ByteString> expected) {
            expect(value instanceof BlobSequencePoint point && point.blobs().equals(expected),
                    "%s, expected %d blobs of sizes %s", value, expected.size(),
                    expected.stream().map(ByteString::size).toList());
        }

        private void histogram(Summary.Value raw, TensorPoint point) {
            if (!raw.hasHisto()) {
                expect(point.tensor().equals(raw.getTensor()), "TF2 histogram tensor not kept as written");
                return;
            }
            HistogramProto histo = raw.getHisto();
            int buckets = histo.getBucketCount();
            expect(point.dtype() == DataType.DT_DOUBLE, "histogram dtype %s", point.dtype());
            expect(Arrays.equals(point.shape(), new long[] {buckets, 3}), "histogram shape %s, expected [%d, 3]"
                    + " (one row per bucket)", Arrays.toString(point.shape()), buckets);
            double[] rows = TensorValues.doubles(point.tensor());
            if (rows == null || rows.length != buckets * 3) {
                expect(false, "histogram tensor does not hold %d rows", buckets);
                return;
            }
            for (int r = 0; r < buckets; r++) {
                expect(rows[3 * r + 2] == histo.getBucket(r), "count of bucket %d", r);
                if (r > 0) {
                    expect(rows[3 * r] == histo.getBucketLimit(r - 1), "left edge of row %d", r);
                }
                if (r < buckets - 1) {
                    expect(rows[3 * r + 1] == histo.getBucketLimit(r), "right edge of row %d", r);
                }
            }
            if (buckets > 0) {
                expect(rows[0] == histo.getMin(), "left edge %s is not min %s", rows[0], histo.getMin());
                expect(rows[rows.length - 2] == histo.getMax(), "right edge %s is not max %s",
                        rows[rows.length - 2], histo.getMax());
            }
        }

        private void expect(boolean condition, String message, Object... args) {
            if (!condition) {
                failures.add(where + ": " + message.formatted(args));
            }
        }
    }

    private static ByteString ascii(int number) {
        return ByteString.copyFrom(Integer.toString(number), StandardCharsets.US_ASCII);
    }

    private static List<ByteString> everyOther(List<ByteString> strings) {
        return IntStream.range(0, strings.size() / 2).mapToObj(i -> strings.get(2 * i)).toList();
    }
}
