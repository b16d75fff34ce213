package dev.athanor.query.tensors.service;

import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.series.PointSampling;
import dev.athanor.query.common.series.SeriesInfo;
import dev.athanor.query.common.series.SeriesLookup;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.scalars.service.ScalarService;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.tensors.api.HistogramPoint;
import dev.athanor.query.tensors.api.PrCurvePoint;
import dev.athanor.query.tensors.api.TensorPoint;
import dev.athanor.query.tensors.api.TensorSeries;
import dev.athanor.query.tensors.api.TextPoint;
import dev.athanor.query.tensors.store.StoredTensor;
import dev.athanor.query.tensors.store.TensorRead;
import dev.athanor.query.tensors.store.TensorStore;
import dev.athanor.tfevents.compat.TensorValues;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/** Histograms, text, PR curves and other tensors of one (run, tag), decoded for their plugin. */
@ApplicationScoped
public class TensorService {

    private static final int TENSOR_CLASS = 2;

    private final TensorStore store;
    private final SeriesLookup series;
    private final RunService runs;
    private final ScalarService scalars;
    private final QueryConfig config;

    public TensorService(TensorStore store, SeriesLookup series, RunService runs, ScalarService scalars,
                         QueryConfig config) {
        this.store = store;
        this.series = series;
        this.runs = runs;
        this.scalars = scalars;
        this.config = config;
    }

    public TensorSeries<HistogramPoint> histograms(long runId, String tag, Integer maxPoints, Long stepMin, Long stepMax) {
        return read(runId, tag, "histograms", maxPoints, config.sampling().histograms(), stepMin, stepMax,
                (stored, tensor) -> new HistogramPoint(stored.step(), stored.wallTime(),
                        TensorDecoding.histogram(tensor, where(runId, tag), stored.step())));
    }

    public TensorSeries<TextPoint> text(long runId, String tag, Integer maxPoints, Long stepMin, Long stepMax) {
        return read(runId, tag, "text", maxPoints, config.sampling().tensors(), stepMin, stepMax,
                (stored, tensor) -> new TextPoint(stored.step(), stored.wallTime(), TensorValues.shape(tensor),
                        TensorDecoding.strings(tensor)));
    }

    public TensorSeries<PrCurvePoint> prCurves(long runId, String tag, Integer maxPoints, Long stepMin, Long stepMax) {
        return read(runId, tag, "pr_curves", maxPoints, config.sampling().tensors(), stepMin, stepMax,
                (stored, tensor) -> prCurve(stored, tensor, where(runId, tag)));
    }

    public TensorSeries<TensorPoint> tensors(long runId, String tag, Integer maxPoints, Long stepMin, Long stepMax) {
        return read(runId, tag, null, maxPoints, config.sampling().tensors(), stepMin, stepMax,
                (stored, tensor) -> new TensorPoint(stored.step(), stored.wallTime(), TensorDecoding.dtypeName(tensor),
                        TensorValues.shape(tensor), TensorDecoding.values(tensor)));
    }

    private <T> TensorSeries<T> read(long runId, String tag, String plugin, Integer maxPoints, int defaultMaxPoints,
                                     Long stepMin, Long stepMax, BiFunction<StoredTensor, TensorProto, T> decode) {
        if (tag == null || tag.isEmpty()) {
            throw new BadInputException("tag", "tag is required");
        }
        int bound = scalars.maxPoints(maxPoints, defaultMaxPoints);
        StepRange range = ScalarService.range(stepMin, stepMax);
        runs.get(runId);
        SeriesInfo info = series.find(runId, tag).orElseThrow(() -> new NotFoundException("tag",
                "run " + runId + " has no tag '" + tag + "'"));
        if (plugin != null && !plugin.equals(info.plugin())) {
            throw new BadInputException("tag", "tag '" + tag + "' of run " + runId + " belongs to plugin '"
                    + info.plugin() + "', not " + plugin);
        }
        if (plugin == null && info.dataClass() != TENSOR_CLASS && info.dataClass() != 0) {
            throw new BadInputException("tag", "tag '" + tag + "' of run " + runId + " is not a tensor series (plugin '"
                    + info.plugin() + "'); read it from its own endpoint");
        }
        TensorRead read = store.read(info.seriesId(), range, bound);
        List<T> points = new ArrayList<>(read.points().size());
        for (StoredTensor stored : read.points()) {
            points.add(decode.apply(stored, TensorDecoding.parse(stored, where(runId, tag))));
        }
        return new TensorSeries<>(runId, info.run(), tag, info.plugin(),
                PointSampling.of(points.size(), bound, read.pointsInRange()), points);
    }

    private static PrCurvePoint prCurve(StoredTensor stored, TensorProto tensor, String where) {
        long[] shape = TensorValues.shape(tensor);
        double[] values = TensorValues.doubles(tensor);
        if (values == null || shape.length != 2 || shape[0] != 6) {
            throw new CorruptRawDataException(where + ": step " + stored.step() + " is not a [6, n] PR-curve tensor (shape "
                    + Arrays.toString(shape) + ")");
        }
        int n = (int) shape[1];
        double[][] rows = new double[6][];
        for (int r = 0; r < 6; r++) {
            rows[r] = Arrays.copyOfRange(values, r * n, (r + 1) * n);
        }
        return new PrCurvePoint(stored.step(), stored.wallTime(), n, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5]);
    }

    private static String where(long runId, String tag) {
        return "run " + runId + " tag '" + tag + "'";
    }
}
