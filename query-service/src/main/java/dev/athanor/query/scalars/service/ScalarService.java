package dev.athanor.query.scalars.service;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.selection.RunSelection;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.RunRef;
import dev.athanor.query.scalars.api.ScalarQuery;
import dev.athanor.query.scalars.api.ScalarResponse;
import dev.athanor.query.scalars.store.DownsampledSeries;
import dev.athanor.query.scalars.store.ScalarSeriesRef;
import dev.athanor.query.scalars.store.ScalarStore;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.XAxis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    public ScalarResponse read(ScalarQuery query) {
        int maxPoints = maxPoints(query.maxPoints(), config.sampling().scalars());
        XAxis x = axis(query.x());
        StepRange range = range(query.stepMin(), query.stepMax());
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
        List<DownsampledSeries> read = store.read(series, range, x, maxPoints);
        read.forEach(s -> {
            chunksRead.increment(s.sampling().chunksRead());
            chunksOpened.increment(s.sampling().chunksOpened());
        });
        return new ScalarResponse(read, missing(selected, tags, series));
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
            default -> throw new BadInputException("x", "x must be 'step' or 'wall_time'; got '" + x + "'");
        };
    }

    public static StepRange range(Long stepMin, Long stepMax) {
        if (stepMin != null && stepMax != null && stepMin > stepMax) {
            throw new BadInputException("stepMin", "stepMin (" + stepMin + ") is after stepMax (" + stepMax + ")");
        }
        return new StepRange(stepMin, stepMax);
    }
}
