package dev.athanor.query.hparams.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.athanor.query.common.text.NaturalOrder;
import dev.athanor.query.hparams.api.SessionGroups;
import dev.athanor.query.hparams.store.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts sessions into groups by their key (the JSON text the run store computed for each run)
 * and aggregates every metric across each group's members. Pure: no database, so the arithmetic
 * is tested on its own.
 */
final class SessionGrouper {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SessionGrouper() {
    }

    /** Sessions in the order given (members keep it); {@code keyJson}: run id → key as JSON, absent = no key. */
    static List<SessionGroups.Group> group(List<Session> sessions, Map<Long, String> keyJson, List<String> metricKeys) {
        Map<String, List<Session>> members = new LinkedHashMap<>();
        for (Session session : sessions) {
            members.computeIfAbsent(keyJson.get(session.runId()), k -> new ArrayList<>()).add(session);
        }
        List<SessionGroups.Group> groups = new ArrayList<>();
        members.forEach((json, list) -> {
            Object key = parse(json);
            Map<String, SessionGroups.Aggregates> metrics = new LinkedHashMap<>();
            for (String metric : metricKeys) {
                metrics.put(metric, aggregate(list.stream().map(s -> s.metrics().get(metric)).toList()));
            }
            groups.add(new SessionGroups.Group(key, key == null ? "(none)" : String.valueOf(key),
                    list.stream().map(Session::runId).toList(), list.stream().map(Session::run).toList(), metrics));
        });
        groups.sort(Comparator.comparing(SessionGroups.Group::key, KEY_ORDER));
        return groups;
    }

    /** AVG, MEDIAN (the middle value, or the mean of the two middle ones), MIN, MAX of the finite values. */
    static SessionGroups.Aggregates aggregate(List<Double> values) {
        double[] finite = values.stream().filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        int n = finite.length;
        if (n == 0) {
            return new SessionGroups.Aggregates(null, null, null, null, 0);
        }
        double median = n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
        return new SessionGroups.Aggregates(Arrays.stream(finite).average().orElseThrow(), median, finite[0],
                finite[n - 1], n);
    }

    private static Object parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    /** Numbers by value, then booleans, then text naturally; the key-less group last. */
    private static final Comparator<Object> KEY_ORDER = Comparator.nullsLast((a, b) -> {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Number != b instanceof Number) {
            return a instanceof Number ? -1 : 1;
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof Boolean != b instanceof Boolean) {
            return a instanceof Boolean ? -1 : 1;
        }
        return NaturalOrder.INSTANCE.compare(String.valueOf(a), String.valueOf(b));
    });
}
