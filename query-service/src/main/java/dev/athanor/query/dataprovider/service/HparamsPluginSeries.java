package dev.athanor.query.dataprovider.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.hparams.DataType;
import dev.athanor.proto.tensorboard.hparams.DatasetType;
import dev.athanor.proto.tensorboard.hparams.Experiment;
import dev.athanor.proto.tensorboard.hparams.HParamInfo;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.proto.tensorboard.hparams.Interval;
import dev.athanor.proto.tensorboard.hparams.MetricInfo;
import dev.athanor.proto.tensorboard.hparams.MetricName;
import dev.athanor.proto.tensorboard.hparams.SessionEndInfo;
import dev.athanor.proto.tensorboard.hparams.SessionStartInfo;
import dev.athanor.proto.tensorboard.hparams.Status;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.dataprovider.store.RunHparams;
import dev.athanor.query.dataprovider.store.SeriesSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The hparams plugin's series as TensorBoard lists them ({@code _hparams_/experiment},
 * {@code _hparams_/session_start_info}, {@code _hparams_/session_end_info}, tensors whose data is
 * the HParamsPluginData in their metadata's plugin content), rebuilt from what ingest kept in the
 * run: the typed values, the definition and the session's group, status, times and URIs. The
 * plugin reads only that metadata; these series have no points. Runs indexed before ingest kept the
 * session's times get the run's first event and end instead (reindexing gives the written ones);
 * a NaN or infinite value comes back as the string the index holds it as.
 */
final class HparamsPluginSeries {

    static final String PLUGIN = "hparams";
    static final String EXPERIMENT_TAG = "_hparams_/experiment";
    static final String SESSION_START_TAG = "_hparams_/session_start_info";
    static final String SESSION_END_TAG = "_hparams_/session_end_info";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** TensorBoard's hparams plugin reads content of this version only. */
    private static final int PLUGIN_DATA_VERSION = 0;
    /** The series are not stored: no series id, nothing to read. */
    static final long NOT_STORED = 0;

    private HparamsPluginSeries() {
    }

    /** Each run's hparams series, in tag order. */
    static List<SeriesSummary> of(List<RunHparams> runs) {
        List<SeriesSummary> out = new ArrayList<>();
        for (RunHparams run : runs) {
            RunHparams.SessionInfo session = run.session();
            double time = run.startTime() == null ? 0 : run.startTime();
            double startTime = session.startTimeSecs() != null ? session.startTimeSecs() : time;
            if (run.configJson() != null) {
                out.add(series(run, EXPERIMENT_TAG, time,
                        HParamsPluginData.newBuilder().setExperiment(experiment(run, parse(run, run.configJson())))));
            }
            if (run.sessionStatus() != null) {
                double end = session.endTimeSecs() != null ? session.endTimeSecs()
                        : run.endTime() != null ? run.endTime() : time;
                out.add(series(run, SESSION_END_TAG, end, HParamsPluginData.newBuilder().setSessionEndInfo(
                        SessionEndInfo.newBuilder().setStatus(status(run.sessionStatus())).setEndTimeSecs(end))));
            }
            JsonNode values = parse(run, run.hparamsJson());
            if (!values.isEmpty() || run.sessionGroup() != null) {
                SessionStartInfo.Builder start = SessionStartInfo.newBuilder().setStartTimeSecs(startTime);
                if (session.modelUri() != null) {
                    start.setModelUri(session.modelUri());
                }
                if (session.monitorUrl() != null) {
                    start.setMonitorUrl(session.monitorUrl());
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> hparam = it.next();
                    start.putHparams(hparam.getKey(), value(hparam.getValue()));
                }
                if (run.sessionGroup() != null) {
                    start.setGroupName(run.sessionGroup());
                }
                out.add(series(run, SESSION_START_TAG, time, HParamsPluginData.newBuilder().setSessionStartInfo(start)));
            }
        }
        return out;
    }

    private static SeriesSummary series(RunHparams run, String tag, double wallTime, HParamsPluginData.Builder content) {
        SummaryMetadata metadata = SummaryMetadata.newBuilder().setDataClass(DataClass.DATA_CLASS_TENSOR)
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(PLUGIN)
                        .setContent(content.setVersion(PLUGIN_DATA_VERSION).build().toByteString()))
                .build();
        return new SeriesSummary(run.runId(), run.run(), NOT_STORED, tag, metadata.toByteArray(), 0, wallTime, 0);
    }

    private static Experiment experiment(RunHparams run, JsonNode config) {
        Experiment.Builder e = Experiment.newBuilder().setName(config.path("name").asText(""))
                .setDescription(config.path("description").asText("")).setUser(config.path("user").asText(""))
                .setTimeCreatedSecs(config.path("time_created_secs").asDouble(0));
        for (JsonNode h : config.path("hparams")) {
            HParamInfo.Builder info = HParamInfo.newBuilder().setName(h.path("name").asText(""))
                    .setDisplayName(h.path("display_name").asText("")).setDescription(h.path("description").asText(""))
                    .setType(DataType.valueOf(h.path("type").asText("DATA_TYPE_UNSET")))
                    .setDiffers(h.path("differs").asBoolean(false));
            JsonNode domain = h.path("domain");
            if (domain.has("discrete")) {
                info.setDomainDiscrete(value(domain.get("discrete")).getListValue());
            } else if (domain.has("interval")) {
                info.setDomainInterval(Interval.newBuilder().setMinValue(number(domain.get("interval").get("min")))
                        .setMaxValue(number(domain.get("interval").get("max"))));
            }
            e.addHparamInfos(info);
        }
        for (JsonNode m : config.path("metrics")) {
            e.addMetricInfos(MetricInfo.newBuilder()
                    .setName(MetricName.newBuilder().setGroup(m.path("group").asText("")).setTag(m.path("tag").asText("")))
                    .setDisplayName(m.path("display_name").asText("")).setDescription(m.path("description").asText(""))
                    .setDatasetType(DatasetType.valueOf(m.path("dataset_type").asText("DATASET_UNKNOWN"))));
        }
        return e.build();
    }

    private static Status status(String name) {
        try {
            return Status.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Status.STATUS_UNKNOWN;
        }
    }

    /** An interval bound: a number, or the string the index writes a non-finite one as. */
    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.parseDouble(node.asText());
    }

    private static Value value(JsonNode node) {
        return switch (node.getNodeType()) {
            case NUMBER -> Value.newBuilder().setNumberValue(node.asDouble()).build();
            case BOOLEAN -> Value.newBuilder().setBoolValue(node.asBoolean()).build();
            case STRING -> Value.newBuilder().setStringValue(node.asText()).build();
            case ARRAY -> {
                ListValue.Builder list = ListValue.newBuilder();
                node.forEach(item -> list.addValues(value(item)));
                yield Value.newBuilder().setListValue(list).build();
            }
            case OBJECT -> {
                Struct.Builder struct = Struct.newBuilder();
                node.fields().forEachRemaining(f -> struct.putFields(f.getKey(), value(f.getValue())));
                yield Value.newBuilder().setStructValue(struct).build();
            }
            default -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        };
    }

    private static JsonNode parse(RunHparams run, String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (IOException e) {
            throw new CorruptRawDataException("the index holds unreadable hparams JSON for run '" + run.run() + "': "
                    + e.getMessage(), e);
        }
    }
}
