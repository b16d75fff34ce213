package dev.athanor.tfevents.decode;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.hparams.Experiment;
import dev.athanor.proto.tensorboard.hparams.HParamInfo;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.proto.tensorboard.hparams.MetricInfo;
import dev.athanor.proto.tensorboard.hparams.SessionEndInfo;
import dev.athanor.proto.tensorboard.hparams.SessionStartInfo;
import dev.athanor.tfevents.compat.TimeSeries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the hparams plugin's records. Their data is not in the value's tensor but in
 * {@code metadata.plugin_data.content}, a serialized {@code HParamsPluginData}.
 */
public final class HParamsDecoder {

    private HParamsDecoder() {
    }

    /**
     * The typed value for one hparams record, or null when the content holds none of experiment,
     * session start and session end.
     *
     * @throws InvalidProtocolBufferException when the content is not an HParamsPluginData
     */
    public static DecodedValue decode(TimeSeries series, long step, double wallTime, SummaryMetadata metadata)
            throws InvalidProtocolBufferException {
        HParamsPluginData data = HParamsPluginData.parseFrom(metadata.getPluginData().getContent());
        return switch (data.getDataCase()) {
            case EXPERIMENT -> experiment(series, step, wallTime, data.getExperiment());
            case SESSION_START_INFO -> sessionStart(series, step, wallTime, data.getSessionStartInfo());
            case SESSION_END_INFO -> sessionEnd(series, step, wallTime, data.getSessionEndInfo());
            case DATA_NOT_SET -> null;
        };
    }

    private static HParamsExperiment experiment(TimeSeries series, long step, double wallTime, Experiment experiment) {
        List<HParamDefinition> hparams = new ArrayList<>(experiment.getHparamInfosCount());
        for (HParamInfo info : experiment.getHparamInfosList()) {
            HParamDefinition.Domain domain = switch (info.getDomainCase()) {
                case DOMAIN_DISCRETE -> new HParamDefinition.Discrete(HParamValue.listOf(info.getDomainDiscrete()));
                case DOMAIN_INTERVAL -> new HParamDefinition.Interval(
                        info.getDomainInterval().getMinValue(), info.getDomainInterval().getMaxValue());
                case DOMAIN_NOT_SET -> new HParamDefinition.Unbounded();
            };
            hparams.add(new HParamDefinition(info.getName(), info.getDisplayName(), info.getDescription(),
                    info.getType(), domain, info.getDiffers()));
        }
        List<MetricDefinition> metrics = new ArrayList<>(experiment.getMetricInfosCount());
        for (MetricInfo info : experiment.getMetricInfosList()) {
            metrics.add(new MetricDefinition(info.getName().getGroup(), info.getName().getTag(),
                    info.getDisplayName(), info.getDescription(), info.getDatasetType()));
        }
        return new HParamsExperiment(series, step, wallTime, experiment.getName(), experiment.getDescription(),
                experiment.getUser(), experiment.getTimeCreatedSecs(), List.copyOf(hparams), List.copyOf(metrics));
    }

    private static HParamsSessionStart sessionStart(TimeSeries series, long step, double wallTime,
                                                    SessionStartInfo start) {
        Map<String, HParamValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, Value> entry : new TreeMap<>(start.getHparamsMap()).entrySet()) {
            values.put(entry.getKey(), HParamValue.of(entry.getValue()));
        }
        return new HParamsSessionStart(series, step, wallTime, Collections.unmodifiableMap(values),
                start.getGroupName(), start.getStartTimeSecs(), start.getModelUri(), start.getMonitorUrl());
    }

    private static HParamsSessionEnd sessionEnd(TimeSeries series, long step, double wallTime, SessionEndInfo end) {
        return new HParamsSessionEnd(series, step, wallTime, end.getStatus(), end.getEndTimeSecs());
    }
}
