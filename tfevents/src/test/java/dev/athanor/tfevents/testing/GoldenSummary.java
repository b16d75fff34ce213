package dev.athanor.tfevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.PrCurvePluginData;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.tfevents.compat.PluginNames;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodeProblem;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.HParamDefinition;
import dev.athanor.tfevents.decode.HParamValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.HParamsSessionEnd;
import dev.athanor.tfevents.decode.HParamsSessionStart;
import dev.athanor.tfevents.decode.MetricDefinition;
import dev.athanor.tfevents.decode.RunDecoder;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.event.ReadProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds, with Athanor's reader and {@link RunDecoder}, the per-file summary that the fixtures'
 * golden JSON holds (MANIFEST.md, "Golden JSON format"), so the two can be compared with
 * {@link JsonDiff}. Structure the golden format defines on the raw file (value kinds, tensor
 * dtypes and shapes, legacy histogram/image/audio fields) is read from the Events; content the
 * decoder produces (scalar series, histogram tensors, image and audio blobs, text, PR-curve
 * tensors, other tensors, typed hparams) is read from the decoded values, so the comparison
 * checks the decoder.
 */
public final class GoldenSummary {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What reading and decoding one file gave, besides the summary. */
    public record Result(ObjectNode summary, List<EventRecord> records, List<List<DecodedValue>> decoded,
                         List<ReadProblem> readProblems, List<DecodeProblem> decodeProblems) {
    }

    private GoldenSummary() {
    }

    public static JsonNode readGolden(Path goldenJson) throws IOException {
        return JSON.readTree(goldenJson.toFile());
    }

    /** Reads and decodes {@code file} (as a run of its own) and summarises it in the golden format. */
    public static Result of(Path file, String relativeName) throws IOException {
        List<ReadProblem> readProblems = new ArrayList<>();
        List<EventRecord> records = new ArrayList<>();
        long trailing;
        try (EventFileReader reader = EventFileReader.open(file, readProblems::add)) {
            for (EventRecord record; (record = reader.next()) != null; ) {
                records.add(record);
            }
            trailing = reader.truncatedTailBytes();
        }
        List<DecodeProblem> decodeProblems = new ArrayList<>();
        RunDecoder decoder = new RunDecoder(relativeName, decodeProblems::add);
        List<List<DecodedValue>> decoded = new ArrayList<>(records.size());
        for (EventRecord record : records) {
            decoded.add(decoder.decode(record));
        }
        ObjectNode summary = NODES.objectNode();
        summary.put("file", relativeName);
        summary.put("size_bytes", Files.size(file));
        summary.put("sha256", sha256(file));
        long corrupt = readProblems.stream().filter(p -> p.kind() == ReadProblem.Kind.CORRUPT_FRAME).count();
        long validButNotEvents = readProblems.size() - corrupt;
        summary.put("record_count", records.size() + readProblems.size());
        summary.put("crc_valid_record_count", records.size() + validButNotEvents);
        summary.put("trailing_bytes", trailing);
        new Builder(summary).build(records, decoded);
        return new Result(summary, records, decoded, readProblems, decodeProblems);
    }

    private static final class Builder {
        private final ObjectNode summary;
        private final Map<String, Long> eventCounts = new LinkedHashMap<>();
        private final Map<String, TagSummary> tags = new TreeMap<>();
        private final ArrayNode graphDefs = NODES.arrayNode();
        private final ArrayNode taggedRunMetadata = NODES.arrayNode();
        private final ArrayNode sessionLogs = NODES.arrayNode();
        private final ArrayNode hparams = NODES.arrayNode();
        private final List<String> hparamNames = new ArrayList<>();
        private final LinkedHashSet<String> sessionKeys = new LinkedHashSet<>();
        private final ObjectNode hparamValues = NODES.objectNode();
        private final ArrayNode metricTags = NODES.arrayNode();

        Builder(ObjectNode summary) {
            this.summary = summary;
        }

        void build(List<EventRecord> records, List<List<DecodedValue>> decoded) {
            String fileVersion = null;
            for (int i = 0; i < records.size(); i++) {
                Event event = records.get(i).event();
                String kind = event.getWhatCase() == Event.WhatCase.WHAT_NOT_SET
                        ? "none" : event.getWhatCase().name().toLowerCase(Locale.ROOT);
                eventCounts.merge(kind, 1L, Long::sum);
                switch (event.getWhatCase()) {
                    case FILE_VERSION -> fileVersion = fileVersion == null ? event.getFileVersion() : fileVersion;
                    case GRAPH_DEF -> graphDefs.add(graph("graph_def", event, event.getGraphDef()));
                    case META_GRAPH_DEF -> graphDefs.add(graph("meta_graph_def", event, event.getMetaGraphDef()));
                    case TAGGED_RUN_METADATA -> taggedRunMetadata.add(NODES.objectNode()
                            .put("tag", event.getTaggedRunMetadata().getTag())
                            .put("step", event.getStep())
                            .put("byte_length", event.getTaggedRunMetadata().getRunMetadata().size()));
                    case SESSION_LOG -> sessionLogs.add(NODES.objectNode().put("step", event.getStep())
                            .put("status", event.getSessionLog().getStatusValue()));
                    case SUMMARY -> summaryValues(event, decoded.get(i));
                    default -> {
                    }
                }
            }
            if (fileVersion == null) {
                summary.putNull("file_version");
            } else {
                summary.put("file_version", fileVersion);
            }
            ObjectNode counts = summary.putObject("event_counts");
            eventCounts.forEach(counts::put);
            ObjectNode tagNodes = summary.putObject("tags");
            tags.forEach((tag, tagSummary) -> tagNodes.set(tag, tagSummary.toJson()));
            if (!records.isEmpty()) {
                summary.set("first_wall_time", number(records.getFirst().event().getWallTime()));
                summary.set("last_wall_time", number(records.getLast().event().getWallTime()));
            }
            if (!graphDefs.isEmpty()) {
                summary.set("graph_defs", graphDefs);
            }
            if (!taggedRunMetadata.isEmpty()) {
                summary.set("tagged_run_metadata", taggedRunMetadata);
            }
            if (!sessionLogs.isEmpty()) {
                summary.set("session_logs", sessionLogs);
            }
            if (!hparams.isEmpty()) {
                summary.set("hparams", hparams);
                ObjectNode rollUp = summary.putObject("hparams_summary");
                ArrayNode names = rollUp.putArray("hparam_names");
                LinkedHashSet<String> all = new LinkedHashSet<>(hparamNames);
                sessionKeys.stream().sorted().forEach(all::add);
                all.forEach(names::add);
                rollUp.set("hparam_values", hparamValues);
                rollUp.set("metric_tags", metricTags);
            }
        }

        private static ObjectNode graph(String kind, Event event, ByteString bytes) {
            return NODES.objectNode().put("kind", kind).put("step", event.getStep()).put("byte_length", bytes.size());
        }

        private void summaryValues(Event event, List<DecodedValue> decoded) {
            List<Summary.Value> values = event.getSummary().getValueList();
            if (decoded.size() != values.size()) {
                throw new AssertionError("step %d: %d summary values decoded into %d values"
                        .formatted(event.getStep(), values.size(), decoded.size()));
            }
            for (int i = 0; i < values.size(); i++) {
                Summary.Value raw = values.get(i);
                DecodedValue value = decoded.get(i);
                String tag = raw.getTag().isEmpty() ? raw.getNodeName() : raw.getTag();
                tags.computeIfAbsent(tag, t -> new TagSummary(raw.getTag().isEmpty()))
                        .add(raw, value, event, this);
            }
        }

        void hparams(DecodedValue value, Summary.Value raw) {
            int version;
            try {
                version = HParamsPluginData.parseFrom(raw.getMetadata().getPluginData().getContent()).getVersion();
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("hparams content of " + raw.getTag() + " decoded but does not re-parse", e);
            }
            ObjectNode entry = NODES.objectNode().put("version", version);
            switch (value) {
                case HParamsExperiment experiment -> {
                    entry.put("kind", "experiment");
                    ArrayNode infos = entry.putArray("hparam_infos");
                    for (HParamDefinition definition : experiment.hparams()) {
                        ObjectNode info = infos.addObject().put("name", definition.name())
                                .put("type", definition.type().getNumber());
                        if (!definition.displayName().isEmpty()) {
                            info.put("display_name", definition.displayName());
                        }
                        switch (definition.domain()) {
                            case HParamDefinition.Discrete discrete -> {
                                ArrayNode domain = info.putArray("domain_discrete");
                                discrete.values().forEach(v -> domain.add(json(v)));
                            }
                            case HParamDefinition.Interval interval -> info.putArray("domain_interval")
                                    .add(number(interval.min())).add(number(interval.max()));
                            case HParamDefinition.Unbounded unbounded -> {
                            }
                        }
                        hparamNames.add(definition.name());
                    }
                    ArrayNode metrics = entry.putArray("metric_tags");
                    for (MetricDefinition metric : experiment.metrics()) {
                        metrics.addObject().put("group", metric.group()).put("tag", metric.tag());
                        metricTags.add(metric.tag());
                    }
                    entry.set("time_created_secs", number(experiment.timeCreatedSecs()));
                    if (!experiment.name().isEmpty()) {
                        entry.put("name", experiment.name());
                    }
                }
                case HParamsSessionStart start -> {
                    entry.put("kind", "session_start_info");
                    ObjectNode values = entry.putObject("hparams");
                    start.hparams().forEach((name, v) -> {
                        values.set(name, json(v));
                        hparamValues.set(name, json(v));
                        sessionKeys.add(name);
                    });
                    entry.put("group_name", start.groupName());
                    entry.set("start_time_secs", number(start.startTimeSecs()));
                    if (!start.modelUri().isEmpty()) {
                        entry.put("model_uri", start.modelUri());
                    }
                    if (!start.monitorUrl().isEmpty()) {
                        entry.put("monitor_url", start.monitorUrl());
                    }
                }
                case HParamsSessionEnd end -> {
                    entry.put("kind", "session_end_info");
                    entry.put("status", end.status().getNumber());
                    entry.set("end_time_secs", number(end.endTimeSecs()));
                }
                default -> throw new AssertionError("not an hparams value: " + value);
            }
            entry.put("tag", value.tag());
            entry.put("step", value.step());
            hparams.add(entry);
        }
    }

    /** The golden entry of one tag, accumulated value by value. */
    private static final class TagSummary {
        private final boolean fromNodeName;
        private String plugin;
        private String valueKind;
        private final LinkedHashSet<String> otherValueKinds = new LinkedHashSet<>();
        private long points;
        private Integer dataClass;
        private String tensorDtype;
        private final List<List<Long>> tensorShapes = new ArrayList<>();
        private final Map<String, ArrayNode> lists = new LinkedHashMap<>();
        private Integer numThresholds;

        TagSummary(boolean fromNodeName) {
            this.fromNodeName = fromNodeName;
        }

        void add(Summary.Value raw, DecodedValue value, Event event, Builder file) {
            String kind = kindOf(raw);
            if (points == 0) {
                valueKind = kind;
                plugin = value.pluginName();
            } else if (!Objects.equals(kind, valueKind)) {
                otherValueKinds.add(kind);
            }
            points++;
            if (dataClass == null && raw.getMetadata().getDataClassValue() != 0) {
                dataClass = raw.getMetadata().getDataClassValue();
            }
            if (raw.hasTensor()) {
                if (tensorDtype == null) {
                    tensorDtype = raw.getTensor().getDtype().name();
                }
                List<Long> shape = shape(raw.getTensor());
                if (!tensorShapes.contains(shape)) {
                    tensorShapes.add(shape);
                }
            }
            long step = event.getStep();
            double wallTime = event.getWallTime();
            switch (value) {
                case ScalarPoint scalar -> list("scalars").addArray().add(step).add(number(wallTime))
                        .add(number(scalar.value()));
                case HParamsExperiment e -> file.hparams(value, raw);
                case HParamsSessionStart s -> file.hparams(value, raw);
                case HParamsSessionEnd e -> file.hparams(value, raw);
                case TensorPoint tensor -> tensor(raw, tensor, step, wallTime);
                case BlobSequencePoint blobs -> blobs(raw, blobs, step, wallTime);
            }
        }

        private void tensor(Summary.Value raw, TensorPoint point, long step, double wallTime) {
            ObjectNode entry = NODES.objectNode().put("step", step);
            entry.set("wall_time", number(wallTime));
            switch (point.pluginName()) {
                case PluginNames.HISTOGRAMS -> {
                    double[] rows = TensorValues.doubles(point.tensor());
                    long[] shape = point.shape();
                    double countSum = 0;
                    for (int i = 2; i < rows.length; i += 3) {
                        countSum += rows[i];
                    }
                    if (raw.hasHisto()) {
                        entry.put("bucket_count", raw.getHisto().getBucketCount());
                        entry.set("count_sum", number(countSum));
                        entry.set("num", number(raw.getHisto().getNum()));
                        entry.set("min", number(raw.getHisto().getMin()));
                        entry.set("max", number(raw.getHisto().getMax()));
                        entry.set("sum", number(raw.getHisto().getSum()));
                    } else {
                        entry.put("bucket_count", shape[0]);
                        entry.set("count_sum", number(countSum));
                        if (shape[0] > 0) {
                            entry.set("left_edge_min", number(rows[0]));
                            entry.set("right_edge_max", number(rows[rows.length - 2]));
                        }
                    }
                    list("histograms").add(entry);
                    list("histogram_steps").add(step);
                }
                case PluginNames.TEXT -> {
                    ArrayNode strings = entry.putArray("values");
                    point.tensor().getStringValList().forEach(s -> strings.add(s.toStringUtf8()));
                    list("text").add(entry);
                }
                case PluginNames.PR_CURVES -> {
                    ArrayNode shape = entry.putArray("shape");
                    for (long dim : point.shape()) {
                        shape.add(dim);
                    }
                    list("pr_curves").add(entry);
                    try {
                        numThresholds = PrCurvePluginData.parseFrom(
                                point.series().metadata().getPluginData().getContent()).getNumThresholds();
                    } catch (InvalidProtocolBufferException e) {
                        throw new AssertionError("PR-curve plugin data of " + point.tag(), e);
                    }
                }
                default -> otherTensor(raw, entry, point.tensor().getDtype() == DataType.DT_STRING
                        ? point.tensor().getStringValList() : null, TensorValues.doubles(point.tensor()));
            }
        }

        private void blobs(Summary.Value raw, BlobSequencePoint point, long step, double wallTime) {
            ObjectNode entry = NODES.objectNode().put("step", step);
            entry.set("wall_time", number(wallTime));
            List<ByteString> blobs = point.blobs();
            switch (point.pluginName()) {
                case PluginNames.IMAGES -> {
                    entry.put("width", Integer.parseInt(blobs.get(0).toStringUtf8()));
                    entry.put("height", Integer.parseInt(blobs.get(1).toStringUtf8()));
                    if (raw.hasImage()) {
                        entry.put("colorspace", raw.getImage().getColorspace());
                    }
                    entry.set("encoded_byte_lengths", lengths(blobs.subList(2, blobs.size())));
                    list("images").add(entry);
                    list("image_steps").add(step);
                }
                case PluginNames.AUDIO -> {
                    if (raw.hasAudio()) {
                        Summary.Audio audio = raw.getAudio();
                        entry.set("sample_rate", number(audio.getSampleRate()));
                        entry.put("num_channels", audio.getNumChannels());
                        entry.put("length_frames", audio.getLengthFrames());
                        entry.put("content_type", audio.getContentType());
                    }
                    entry.set("encoded_byte_lengths", lengths(blobs));
                    if (raw.hasTensor()) {
                        // Labels are not part of the blob sequence; the golden format reads them from the file.
                        ArrayNode labels = entry.putArray("labels");
                        List<ByteString> strings = raw.getTensor().getStringValList();
                        for (int i = 1; i < strings.size(); i += 2) {
                            labels.add(strings.get(i).toStringUtf8());
                        }
                    }
                    list("audio").add(entry);
                }
                default -> otherTensor(raw, entry, blobs, null);
            }
        }

        /** Graph sub-plugin blobs, custom-scalar layouts, unknown plugins: shape and sizes only. */
        private void otherTensor(Summary.Value raw, ObjectNode entry, List<ByteString> strings, double[] numbers) {
            ArrayNode shape = entry.putArray("shape");
            shape(raw.getTensor()).forEach(shape::add);
            if (strings != null) {
                entry.set("string_byte_lengths", lengths(strings));
            } else {
                entry.put("num_values", numbers == null ? 0 : numbers.length);
            }
            list("tensors").add(entry);
        }

        private ArrayNode list(String name) {
            return lists.computeIfAbsent(name, n -> NODES.arrayNode());
        }

        ObjectNode toJson() {
            ObjectNode node = NODES.objectNode();
            if (fromNodeName) {
                node.put("tag_source", "node_name");
            }
            node.put("plugin", plugin);
            if (valueKind == null) {
                node.putNull("value_kind");
            } else {
                node.put("value_kind", valueKind);
            }
            node.put("points", points);
            if (!otherValueKinds.isEmpty()) {
                ArrayNode others = node.putArray("other_value_kinds");
                otherValueKinds.forEach(k -> others.add(k == null ? "null" : k));
            }
            if (dataClass != null) {
                node.put("data_class", dataClass);
            }
            if (tensorDtype != null) {
                node.put("tensor_dtype", tensorDtype);
                ArrayNode shapes = node.putArray("tensor_shapes");
                for (List<Long> shape : tensorShapes) {
                    ArrayNode dims = shapes.addArray();
                    shape.forEach(dims::add);
                }
            }
            lists.forEach(node::set);
            if (numThresholds != null) {
                node.put("num_thresholds", numThresholds);
            }
            return node;
        }
    }

    /** The Summary.Value oneof case as the golden format names it; null for metadata-only values. */
    static String kindOf(Summary.Value value) {
        return switch (value.getValueCase()) {
            case VALUE_NOT_SET -> null;
            default -> value.getValueCase().name().toLowerCase(Locale.ROOT);
        };
    }

    private static List<Long> shape(TensorProto tensor) {
        List<Long> dims = new ArrayList<>();
        for (long dim : TensorValues.shape(tensor)) {
            dims.add(dim);
        }
        return dims;
    }

    private static ArrayNode lengths(List<ByteString> blobs) {
        ArrayNode lengths = NODES.arrayNode();
        blobs.forEach(blob -> lengths.add(blob.size()));
        return lengths;
    }

    /** A double as the golden JSON writes it: finite values as numbers, others as "NaN", "Infinity", "-Infinity". */
    public static JsonNode number(double value) {
        if (Double.isNaN(value)) {
            return NODES.textNode("NaN");
        }
        if (Double.isInfinite(value)) {
            return NODES.textNode(value > 0 ? "Infinity" : "-Infinity");
        }
        return NODES.numberNode(value);
    }

    private static JsonNode json(HParamValue value) {
        return switch (value) {
            case HParamValue.NumberValue n -> number(n.value());
            case HParamValue.StringValue s -> NODES.textNode(s.value());
            case HParamValue.BoolValue b -> NODES.booleanNode(b.value());
            case HParamValue.NullValue n -> NODES.nullNode();
            case HParamValue.ListOf list -> {
                ArrayNode array = NODES.arrayNode();
                list.values().forEach(v -> array.add(json(v)));
                yield array;
            }
            case HParamValue.StructOf struct -> {
                ObjectNode object = NODES.objectNode();
                struct.fields().forEach((k, v) -> object.set(k, json(v)));
                yield object;
            }
        };
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
