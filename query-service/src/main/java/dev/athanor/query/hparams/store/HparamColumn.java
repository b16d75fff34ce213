package dev.athanor.query.hparams.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An hparam as the sessions of an experiment use it.
 *
 * @param type     number, string, bool, null, or mixed (values of several JSON types: the trap
 *                 TensorBoard falls into when one run logs None)
 * @param sessions how many sessions set it (an explicit null counts)
 * @param values   distinct non-numeric values (at most 50), for choosers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HparamColumn(String name, String type, long sessions, Double min, Double max, List<Object> values) {
}
