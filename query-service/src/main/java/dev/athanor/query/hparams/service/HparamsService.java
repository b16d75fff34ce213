package dev.athanor.query.hparams.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.common.text.Csv;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.hparams.api.HparamsInfo;
import dev.athanor.query.hparams.api.SessionGroups;
import dev.athanor.query.hparams.api.SessionPage;
import dev.athanor.query.hparams.store.HparamColumn;
import dev.athanor.query.hparams.store.HparamsQuery;
import dev.athanor.query.hparams.store.HparamsStore;
import dev.athanor.query.hparams.store.MetricColumn;
import dev.athanor.query.hparams.store.Session;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.RunGrouping;
import dev.athanor.query.runs.store.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hparams table: columns, sessions filtered/sorted/paged, the same rows as CSV, and session groups. */
@ApplicationScoped
public class HparamsService {

    /** Metric columns considered per experiment. */
    static final int MAX_METRICS = 200;
    /** Rows a CSV download holds at most. */
    static final int MAX_CSV_ROWS = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HparamsStore store;
    private final ExperimentService experiments;
    private final RunStore runs;

    public HparamsService(HparamsStore store, ExperimentService experiments, RunStore runs) {
        this.store = store;
        this.experiments = experiments;
        this.runs = runs;
    }

    public HparamsInfo info(long experimentId) {
        experiments.requireExists(experimentId);
        return new HparamsInfo(experimentId, store.hparams(experimentId), store.metrics(experimentId, MAX_METRICS),
                store.config(experimentId));
    }

    public SessionPage sessions(long experimentId, String filter, String sort, String metrics, PageRequest page) {
        HparamsQuery query = query(experimentId, filter, sort, metrics);
        return new SessionPage(query.metrics().stream().map(MetricColumn::key).toList(), store.sessions(query, page));
    }

    /**
     * The sessions matching {@code filter} (at most {@link #MAX_CSV_ROWS}) grouped by {@code groupBy}
     * (as the scalars' run groups: hparams.&lt;name&gt;, label:&lt;name&gt;, label:, regex:&lt;pattern&gt;, an
     * attribute), with AVG, MEDIAN, MIN and MAX of every metric column per group.
     */
    public SessionGroups groups(long experimentId, String groupBy, String filter, String metrics) {
        if (groupBy == null || groupBy.isBlank()) {
            throw new BadInputException("groupBy", "groupBy is required: hparams.<name>, label:<name>, label:, regex:<pattern> or a run attribute");
        }
        RunGrouping by = RunGrouping.parse("groupBy", groupBy.trim());
        HparamsQuery query = query(experimentId, filter, null, metrics);
        List<Session> sessions = store.sessions(query, new PageRequest(0, MAX_CSV_ROWS)).items();
        Map<Long, String> keys = sessions.isEmpty() ? Map.of()
                : runs.groupKeys(sessions.stream().map(Session::runId).toList(), by, "groupBy");
        List<String> metricKeys = query.metrics().stream().map(MetricColumn::key).toList();
        return new SessionGroups(by.display(), metricKeys, SessionGrouper.group(sessions, keys, metricKeys));
    }

    public StreamingOutput csv(long experimentId, String filter, String sort, String metrics) {
        HparamsQuery query = query(experimentId, filter, sort, metrics);
        Page<Session> rows = store.sessions(query, new PageRequest(0, MAX_CSV_ROWS));
        List<String> hparamNames = store.hparams(experimentId).stream().map(HparamColumn::name).toList();
        return output -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            List<String> header = new ArrayList<>(List.of("run", "group", "status", "session_status"));
            hparamNames.forEach(name -> header.add("hparams." + name));
            query.metrics().forEach(m -> header.add("metrics." + m.key()));
            Csv.row(out, header);
            for (Session session : rows.items()) {
                Map<String, Object> hparams = JSON.readValue(session.hparams(), new TypeReference<LinkedHashMap<String, Object>>() { });
                List<String> fields = new ArrayList<>(Arrays.asList(session.run(), session.group(), session.status(),
                        session.sessionStatus()));
                for (String name : hparamNames) {
                    Object v = hparams.get(name);
                    fields.add(v == null ? (hparams.containsKey(name) ? "null" : "")
                            : v instanceof String s ? s : JSON.writeValueAsString(v));
                }
                for (MetricColumn m : query.metrics()) {
                    Double v = session.metrics().get(m.key());
                    fields.add(v == null ? "" : Csv.number(v));
                }
                Csv.row(out, fields);
            }
            out.flush();
        };
    }

    private HparamsQuery query(long experimentId, String filter, String sort, String metrics) {
        experiments.requireExists(experimentId);
        List<MetricColumn> all = store.metrics(experimentId, MAX_METRICS);
        List<MetricColumn> chosen = all;
        if (metrics != null && !metrics.isBlank()) {
            chosen = new ArrayList<>();
            for (String key : metrics.split(",")) {
                String k = key.trim();
                MetricColumn column = all.stream().filter(c -> c.key().equals(k)).findFirst()
                        .orElseThrow(() -> new BadInputException("metrics", "no metric '" + k + "' in experiment "
                                + experimentId + "; known: " + all.stream().map(MetricColumn::key).limit(20).toList()));
                chosen.add(column);
            }
        }
        return new HparamsQuery(experimentId, RunService.parseFilter(filter),
                sort == null || sort.isBlank() ? List.of() : Parser.parseSort("sort", sort), chosen);
    }
}
