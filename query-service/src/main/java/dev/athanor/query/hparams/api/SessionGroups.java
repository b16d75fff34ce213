package dev.athanor.query.hparams.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Sessions grouped as TensorBoard's session groups: per group its key, its member sessions and,
 * per metric column, the aggregates of the members' (last) values.
 *
 * @param groupBy       the grouping as the server read it
 * @param metricColumns the metric keys every group's {@code metrics} map is keyed by
 * @param groups        in key order (numbers by value, text naturally, the key-less group last)
 */
public record SessionGroups(String groupBy, List<String> metricColumns, List<Group> groups) {

    /**
     * @param key     the group's value (number, string or boolean; null for sessions without one)
     * @param name    the key as text ("(none)" for the null key)
     * @param runIds  the member sessions' run ids, in natural name order
     * @param runs    their names
     * @param metrics metric key → aggregates over the members with a finite value
     */
    public record Group(Object key, String name, List<Long> runIds, List<String> runs, Map<String, Aggregates> metrics) {
    }

    /**
     * AVG, MEDIAN, MIN and MAX of a metric across a group's members (null when no member has a
     * finite value); {@code count}: the members with a finite value.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Aggregates(Double avg, Double median, Double min, Double max, int count) {
    }
}
