package dev.athanor.tfevents.decode;

import dev.athanor.tfevents.compat.TimeSeries;
import java.util.Map;

/**
 * The start of an hparams session ({@code _hparams_/session_start_info}): the hyperparameter
 * values of this run, keyed by name in sorted order.
 */
public record HParamsSessionStart(TimeSeries series, long step, double wallTime, Map<String, HParamValue> hparams,
                                  String groupName, double startTimeSecs, String modelUri, String monitorUrl)
        implements DecodedValue {
}
