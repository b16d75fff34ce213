package dev.athanor.query.compare.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.text.NaturalOrder;
import dev.athanor.query.compare.api.RunComparison;
import dev.athanor.query.compare.api.RunComparison.ComparedRun;
import dev.athanor.query.compare.api.RunComparison.HparamRow;
import dev.athanor.query.compare.api.RunComparison.MetricRow;
import dev.athanor.query.compare.api.RunComparison.MetricValues;
import dev.athanor.query.compare.store.CompareStore;
import dev.athanor.query.compare.store.MetricSummary;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A side-by-side comparison of 2–{@value #MAX_RUNS} runs of one experiment: one table of their
 * hparams and their scalar metrics' last, min, max and best (with its step), read from the index's
 * roll-ups in one statement ({@link CompareStore}).
 */
@ApplicationScoped
public class CompareService {

    public static final int MIN_RUNS = 2;
    public static final int MAX_RUNS = 6;
    /** Tags one comparison shows when the request names none. */
    public static final int MAX_METRICS = 200;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CompareStore store;
    private final RunService runs;
    private final ExperimentService experiments;

    public CompareService(CompareStore store, RunService runs, ExperimentService experiments) {
        this.store = store;
        this.runs = runs;
        this.experiments = experiments;
    }

    /**
     * @param runIds  the runs, in the table's column order
     * @param metrics tags to show; empty: every scalar tag of the runs (the first {@value #MAX_METRICS})
     * @param goals   per tag, "min" or "max" instead of the guess from its name
     */
    public RunComparison compare(long experimentId, List<Long> runIds, List<String> metrics, Map<String, String> goals) {
        experiments.requireExists(experimentId);
        if (new LinkedHashSet<>(runIds).size() != runIds.size()) {
            throw new BadInputException("runs", "each run may be named once; got " + runIds);
        }
        if (runIds.size() < MIN_RUNS || runIds.size() > MAX_RUNS) {
            throw new BadInputException("runs", "a comparison takes " + MIN_RUNS + " to " + MAX_RUNS + " runs; got "
                    + runIds.size());
        }
        if (metrics.size() > MAX_METRICS) {
            throw new BadInputException("metrics", "at most " + MAX_METRICS + " metrics; got " + metrics.size());
        }
        List<Run> compared = new ArrayList<>();
        for (Long id : runIds) {
            Run run = runs.get(id);
            if (run.experimentId() != experimentId) {
                throw new NotFoundException("runs", "run " + id + " not found in experiment " + experimentId);
            }
            compared.add(run);
        }
        List<String> tags = metrics;
        int omitted = 0;
        if (tags.isEmpty()) {
            List<String> all = store.scalarTags(runIds);
            tags = all.subList(0, Math.min(all.size(), MAX_METRICS));
            omitted = all.size() - tags.size();
        }
        List<MetricSummary> summaries = tags.isEmpty() ? List.of() : store.summaries(runIds, tags);
        return new RunComparison(experimentId, compared.stream().map(CompareService::column).toList(),
                hparamRows(compared), metricRows(runIds, tags, summaries, goals), omitted);
    }

    private static ComparedRun column(Run run) {
        return new ComparedRun(run.id(), run.path(), run.displayName(), run.color(), run.labels(), run.status());
    }

    private static List<HparamRow> hparamRows(List<Run> compared) {
        List<Map<String, Object>> values = compared.stream().map(CompareService::hparams).toList();
        TreeSet<String> names = new TreeSet<>(NaturalOrder.INSTANCE);
        values.forEach(v -> names.addAll(v.keySet()));
        List<HparamRow> rows = new ArrayList<>();
        for (String name : names) {
            List<Object> row = new ArrayList<>();
            values.forEach(v -> row.add(v.get(name)));
            boolean same = values.stream().allMatch(v -> v.containsKey(name))
                    && row.stream().allMatch(v -> sameValue(v, row.getFirst()));
            rows.add(new HparamRow(name, row, !same));
        }
        return rows;
    }

    /** Numbers by value (1 and 1.0 are equal), anything else by equals. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hparams(Run run) {
        if (run.hparams() == null || run.hparams().isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(run.hparams(), LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + run.id() + " has hparams that are not a JSON object", e);
        }
    }

    private static List<MetricRow> metricRows(List<Long> runIds, List<String> tags, List<MetricSummary> summaries,
                                              Map<String, String> goals) {
        Map<String, Map<Long, MetricSummary>> byTag = new HashMap<>();
        summaries.forEach(s -> byTag.computeIfAbsent(s.tag(), t -> new HashMap<>()).put(s.runId(), s));
        List<MetricRow> rows = new ArrayList<>();
        for (String tag : new TreeSet<>(tags)) {
            Map<Long, MetricSummary> of = byTag.getOrDefault(tag, Map.of());
            String asked = goals.get(tag);
            MetricGoal goal = asked != null ? MetricGoal.valueOf(asked.toUpperCase(java.util.Locale.ROOT))
                    : MetricGoal.guess(tag);
            List<MetricValues> values = new ArrayList<>();
            Long bestRun = null;
            Double bestValue = null;
            for (Long id : runIds) {
                MetricSummary s = of.get(id);
                if (s == null) {
                    values.add(null);
                    continue;
                }
                Double best = goal == MetricGoal.MIN ? s.min() : s.max();
                values.add(new MetricValues(s.points(), s.lastStep(), s.last(), s.min(), s.max(), best,
                        goal == MetricGoal.MIN ? s.minStep() : s.maxStep()));
                if (best != null && (bestValue == null || (goal == MetricGoal.MIN ? best < bestValue : best > bestValue))) {
                    bestValue = best;
                    bestRun = id;
                }
            }
            boolean same = values.stream().allMatch(v -> v != null && Objects.equals(v.last(), values.getFirst().last()));
            rows.add(new MetricRow(tag, goal.label(), asked != null ? "request" : "name", values, !same, bestRun));
        }
        return rows;
    }
}
