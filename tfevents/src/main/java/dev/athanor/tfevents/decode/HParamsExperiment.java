package dev.athanor.tfevents.decode;

import dev.athanor.tfevents.compat.TimeSeries;
import java.util.List;

/** An hparams experiment definition ({@code _hparams_/experiment}): the hyperparameters and metrics to compare. */
public record HParamsExperiment(TimeSeries series, long step, double wallTime, String name, String description,
                                String user, double timeCreatedSecs, List<HParamDefinition> hparams,
                                List<MetricDefinition> metrics) implements DecodedValue {
}
