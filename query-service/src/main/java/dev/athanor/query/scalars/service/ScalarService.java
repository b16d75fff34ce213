package dev.athanor.query.scalars.service;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.selection.RunSelection;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.RunRef;
import dev.athanor.query.scalars.api.ScalarQuery;
import dev.athanor.query.scalars.api.ScalarResponse;
import dev.athanor.query.scalars.api.ChartResponse;
import dev.athanor.query.scalars.api.ChartShape;
import dev.athanor.query.scalars.store.DownsampledSeries;
import dev.athanor.query.scalars.store.M4Series;
import dev.athanor.query.scalars.store.ScalarSeriesRef;
import dev.athanor.query.scalars.store.ScalarStore;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.XAxis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.athanor.query.common.text.NaturalOrder;
import dev.athanor.query.runs.store.RunGrouping;
import dev.athanor.query.scalars.api.ScalarGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Validates scalar reads, resolves the runs, and reads through the {@link ScalarStore}. */
@ApplicationScoped
public class ScalarService {

    private final ScalarStore store;
    private final RunService runs;
    private final QueryConfig config;
    private final Counter chunksRead;
    private final Counter chunksOpened;

    public ScalarService(ScalarStore store, RunService runs, QueryConfig config, MeterRegistry registry) {
        this.store = store;
        this.runs = runs;
        this.config = config;
        this.chunksRead = Counter.builder("athanor.query.scalar.chunks").tag("access", "rollup")
                .description("scalar chunk roll-ups consulted").register(registry);
        this.chunksOpened = Counter.builder("athanor.query.scalar.chunks").tag("access", "opened")
                .description("scalar chunks whose points were read").register(registry);
    }

    /** A {@link ScalarResponse}, or with {@code width} a {@link ChartResponse}. */
    public Object read(ScalarQuery query) {
        if (query.width() != null) {
            return chart(query);
        }
        return readSeries(query);
    }

    private ScalarResponse readSeries(ScalarQuery query) {
        int maxPoints = maxPoints(query.maxPoints(), config.sampling().scalars());
        XAxis x = axis(query.x());
        StepRange range = range(query.stepMin(), query.stepMax());
        Selection sel = select(query);
        List<RunRef> selected = sel.runs();
        List<String> tags = sel.tags();
        List<ScalarSeriesRef> series = sel.series();
        if (query.groupBy() != null && !query.groupBy().isBlank()) {
            return grouped(query, selected, tags, series, range, x, maxPoints);
        }
        if (query.aggregate() != null || query.band() != null || query.members() != null) {
            throw new BadInputException(query.aggregate() != null ? "aggregate" : query.band() != null ? "band" : "members",
                    "aggregate, band and members apply to groups: give groupBy too");
        }
        List<DownsampledSeries> read = count(store.read(series, range, x, maxPoints));
        return new ScalarResponse(read, missing(selected, tags, series));
    }

    /** The runs, tags and (run, tag) series a read names, bounded by max-series. */
    private record Selection(List<RunRef> runs, List<String> tags, List<ScalarSeriesRef> series) {
    }

    private Selection select(ScalarQuery query) {
        int maxSeries = config.sampling().maxSeries();
        List<RunRef> selected = runs.select(new RunSelection(query.experiment(), query.runs(), query.filter()),
                "selection", maxSeries);
        List<String> tags = query.tags() == null ? List.of() : query.tags().stream().distinct().toList();
        if (tags.stream().anyMatch(t -> t == null || t.isEmpty())) {
            throw new BadInputException("tags", "tags must not be empty strings");
        }
        List<ScalarSeriesRef> series = selected.isEmpty() ? List.of()
                : store.findSeries(selected.stream().map(RunRef::id).toList(), tags);
        if (series.size() > maxSeries) {
            throw new BadInputException("tags", "the request names " + series.size() + " series; at most " + maxSeries
                    + " per request");
        }
        return new Selection(selected, tags, series);
    }

    /**
     * A chart's read: every series cut into the chart's pixel columns (M4), the columns shared by
     * the lines of one tag ({@link ChartBudget}), in the compact shape.
     */
    private ChartResponse chart(ScalarQuery query) {
        int width = query.width();
        int max = config.sampling().maxPoints();
        if (width < 1 || width > max) {
            throw new BadInputException("width", "width must be between 1 and " + max + " pixels; got " + width);
        }
        if (query.maxPoints() != null) {
            throw new BadInputException("maxPoints", "give either width or maxPoints, not both");
        }
        if ((query.groupBy() != null && !query.groupBy().isBlank()) || query.aggregate() != null || query.band() != null
                || query.members() != null) {
            throw new BadInputException("width", "width does not apply to run groups (groupBy, aggregate, band,"
                    + " members): use maxPoints");
        }
        XAxis x = axis(query.x());
        if (x == XAxis.RELATIVE) {
            throw new BadInputException("x", "charts by width take x = step or wall_time (the client subtracts each"
                    + " run's start); x = relative aligns run groups and maxPoints reads");
        }
        StepRange range = range(query.stepMin(), query.stepMax());
        Selection sel = select(query);
        Map<String, Integer> perTag = new HashMap<>();
        sel.series().forEach(s -> perTag.merge(s.tag(), 1, Integer::sum));
        int lines = perTag.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int columns = ChartBudget.columnsPerLine(width, lines, config.sampling().chartLinesPerColumn());
        List<M4Series> read = store.readColumns(sel.series(), range, x, columns);
        return ChartShape.of(new ChartResponse.Chart("m4", x.label(), width, columns, lines), x, read,
                missing(sel.runs(), sel.tags(), sel.series()));
    }

    private List<DownsampledSeries> count(List<DownsampledSeries> read) {
        read.forEach(s -> {
            chunksRead.increment(s.sampling().chunksRead());
            chunksOpened.increment(s.sampling().chunksOpened());
        });
        return read;
    }

    /**
     * Run groups: every series of a tag is read cut into the same buckets — of steps, or of
     * seconds since each member's first point (x = relative) — one layout over the union of the
     * members' ranges ({@link ScalarStore#read aligned}), and each group's curve is aggregated
     * bucket by bucket from its members' downsampled values ({@link GroupAggregator}).
     */
    private ScalarResponse grouped(ScalarQuery query, List<RunRef> selected, List<String> tags,
                                   List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints) {
        if (x == XAxis.WALL_TIME) {
            throw new BadInputException("x", "groups are aligned on step or on relative time (seconds since each run's"
                    + " first point); x must be step or relative with groupBy, not wall_time");
        }
        RunGrouping by = RunGrouping.parse("groupBy", query.groupBy());
        GroupAggregator.Center center = choice("aggregate", query.aggregate(), GroupAggregator.Center.class,
                GroupAggregator.Center.MEAN);
        GroupAggregator.Band band = choice("band", query.band(), GroupAggregator.Band.class, GroupAggregator.Band.STD);
        Map<Long, String> keyJson = selected.isEmpty() ? Map.of()
                : runs.groupKeys(selected.stream().map(RunRef::id).toList(), by, "groupBy");
        List<DownsampledSeries> read = count(store.read(series, range, x, maxPoints, true));

        // Groups in key order (numbers by value, then booleans, then text in natural order, none last);
        // members in the selection's (natural name) order.
        Map<String, List<RunRef>> members = new LinkedHashMap<>();
        for (RunRef run : selected) {
            members.computeIfAbsent(keyJson.get(run.id()), k -> new ArrayList<>()).add(run);
        }
        Map<Long, List<DownsampledSeries>> byRun = new HashMap<>();
        read.forEach(s -> byRun.computeIfAbsent(s.runId(), id -> new ArrayList<>()).add(s));
        List<String> order = new ArrayList<>(members.keySet());
        Map<String, Object> keys = new HashMap<>();
        order.forEach(k -> keys.put(k, parseKey(k)));
        order.sort(Comparator.comparing((String k) -> keys.get(k), KEY_ORDER));

        List<ScalarGroup> groups = new ArrayList<>();
        for (String k : order) {
            List<RunRef> runsOfGroup = members.get(k);
            Map<String, List<DownsampledSeries>> byTag = new TreeMap<>();
            for (RunRef run : runsOfGroup) {
                for (DownsampledSeries s : byRun.getOrDefault(run.id(), List.of())) {
                    byTag.computeIfAbsent(s.tag(), t -> new ArrayList<>()).add(s);
                }
            }
            List<ScalarGroup.Series> curves = new ArrayList<>();
            byTag.forEach((tag, memberSeries) -> curves.add(new ScalarGroup.Series(tag,
                    memberSeries.stream().map(DownsampledSeries::runId).toList(),
                    memberSeries.stream().filter(s -> s.sampling().bucketWidth() != null)
                            .mapToDouble(s -> s.sampling().bucketWidth()).findFirst().orElse(1),
                    GroupAggregator.aggregate(memberSeries, center, band))));
            Object key = keys.get(k);
            groups.add(new ScalarGroup(key, key == null ? "(none)" : String.valueOf(key),
                    runsOfGroup.stream().map(RunRef::id).toList(), runsOfGroup.stream().map(RunRef::path).toList(), curves));
        }
        ScalarGroup.Grouping grouping = new ScalarGroup.Grouping(by.display(), lower(center), lower(band), x.label(),
                maxPoints, "last");
        return new ScalarResponse(Boolean.TRUE.equals(query.members()) ? read : List.of(),
                missing(selected, tags, series), grouping, groups);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Object parseKey(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    /**
     * Numbers by value, then booleans (false first), then text naturally — text that reads as a
     * number (a regex capture such as "0.003") by value; null last.
     */
    private static final Comparator<Object> KEY_ORDER = Comparator.nullsLast((a, b) -> {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (a) {
            case Number n -> Double.compare(n.doubleValue(), ((Number) b).doubleValue());
            case Boolean bool -> Boolean.compare(bool, (Boolean) b);
            default -> {
                Double na = asNumber(a);
                Double nb = asNumber(b);
                yield na != null && nb != null && !na.equals(nb) ? Double.compare(na, nb)
                        : NaturalOrder.INSTANCE.compare(String.valueOf(a), String.valueOf(b));
            }
        };
    });

    private static Double asNumber(Object o) {
        try {
            double d = Double.parseDouble(String.valueOf(o).trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int rank(Object o) {
        return o instanceof Number ? 0 : o instanceof Boolean ? 1 : 2;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E choice(String name, String value, Class<E> type, E defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new BadInputException(name, name + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(ScalarService::lower).toList() + "; got '" + value + "'");
    }

    private static List<ScalarResponse.Missing> missing(List<RunRef> runs, List<String> tags, List<ScalarSeriesRef> found) {
        List<ScalarResponse.Missing> missing = new ArrayList<>();
        Set<String> present = new HashSet<>();
        found.forEach(s -> present.add(s.runId() + "\u0000" + s.tag()));
        for (RunRef run : runs) {
            for (String tag : tags) {
                if (!present.contains(run.id() + "\u0000" + tag)) {
                    missing.add(new ScalarResponse.Missing(run.id(), run.path(), tag, "the run has no scalar series with this tag"));
                }
            }
        }
        return missing;
    }

    /** The bound every read carries: the default when absent, refused when out of range. */
    public int maxPoints(Integer requested, int defaultValue) {
        int max = config.sampling().maxPoints();
        int value = requested == null ? defaultValue : requested;
        if (value < 1 || value > max) {
            throw new BadInputException("maxPoints", "maxPoints must be between 1 and " + max + "; got " + value);
        }
        return value;
    }

    public static XAxis axis(String x) {
        if (x == null || x.isBlank()) {
            return XAxis.STEP;
        }
        return switch (x.trim().toLowerCase(Locale.ROOT)) {
            case "step" -> XAxis.STEP;
            case "wall_time", "walltime", "wall", "time" -> XAxis.WALL_TIME;
            case "relative", "relative_time" -> XAxis.RELATIVE;
            default -> throw new BadInputException("x", "x must be 'step', 'wall_time' or 'relative'; got '" + x + "'");
        };
    }

    public static StepRange range(Long stepMin, Long stepMax) {
        if (stepMin != null && stepMax != null && stepMin > stepMax) {
            throw new BadInputException("stepMin", "stepMin (" + stepMin + ") is after stepMax (" + stepMax + ")");
        }
        return new StepRange(stepMin, stepMax);
    }
}
