package dev.athanor.query.hparams.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.athanor.query.hparams.store.HparamColumn;
import dev.athanor.query.hparams.store.MetricColumn;
import java.util.List;

/**
 * The columns of an experiment's hparams table: every hparam its sessions set (typed, with
 * ranges and values), every metric, and the hparams plugin's own configuration when one was logged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HparamsInfo(long experimentId, List<HparamColumn> hparams, List<MetricColumn> metrics,
                          @JsonRawValue String config) {
}
