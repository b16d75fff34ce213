package dev.athanor.query.dataprovider.service;

import dev.athanor.query.blobs.service.BlobService;
import dev.athanor.query.blobs.store.BlobSequenceRef;
import dev.athanor.query.blobs.store.BlobStore;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.dataprovider.store.ExperimentSeriesStore;
import dev.athanor.query.dataprovider.store.RunStart;
import dev.athanor.query.dataprovider.store.SeriesQuery;
import dev.athanor.query.dataprovider.store.SeriesSummary;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.experiments.store.Experiment;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.scalars.store.ChunkPoints;
import dev.athanor.query.scalars.store.ScalarStore;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.tensors.store.StoredTensor;
import dev.athanor.query.tensors.store.TensorStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * TensorBoard's data-provider reads over the index. Every call first resolves the experiment for
 * the current caller ({@link ExperimentService#get}: another project's experiment is "not found"
 * exactly like a missing one, as on REST); everything else is scoped to that experiment's runs.
 */
@ApplicationScoped
public class DataProviderService {

    private final ExperimentService experiments;
    private final RunService runs;
    private final ExperimentSeriesStore catalog;
    private final ScalarStore scalars;
    private final TensorStore tensors;
    private final BlobStore blobs;
    private final BlobService blobService;

    public DataProviderService(ExperimentService experiments, RunService runs, ExperimentSeriesStore catalog,
                               ScalarStore scalars, TensorStore tensors, BlobStore blobs, BlobService blobService) {
        this.experiments = experiments;
        this.runs = runs;
        this.catalog = catalog;
        this.scalars = scalars;
        this.tensors = tensors;
        this.blobs = blobs;
        this.blobService = blobService;
    }

    /** The experiment an {@code experiment_id} names: Athanor's id, as REST's /api/v1/experiments gives it. */
    public Experiment experiment(String experimentId) {
        if (experimentId == null || experimentId.isEmpty()) {
            throw new NotFoundException("experiment_id", "experiment_id is empty: name an Athanor experiment by its id"
                    + " (the id /api/v1/experiments lists)");
        }
        if (!experimentId.matches("\\d{1,18}")) {
            throw new NotFoundException("experiment_id", "experiment '" + experimentId + "' not found"
                    + " (experiment ids are numbers, as /api/v1/experiments lists them)");
        }
        return experiments.get(Long.parseLong(experimentId));
    }

    public List<RunStart> runs(String experimentId) {
        return catalog.runs(experiment(experimentId).id());
    }

    public List<String> plugins(String experimentId) {
        return catalog.plugins(experiment(experimentId).id());
    }

    /**
     * The selected series of one data class (see {@link SeriesQuery}), with their metadata; for
     * the hparams plugin's tensors also the series rebuilt from the runs ({@link HparamsPluginSeries}).
     */
    public List<SeriesSummary> list(String experimentId, SeriesSelection selection, int dataClass) {
        long experiment = experiment(experimentId).id();
        List<SeriesSummary> stored = catalog.series(new SeriesQuery(experiment, selection.plugin(), dataClass,
                selection.runs(), selection.tags()));
        if (!HparamsPluginSeries.PLUGIN.equals(selection.plugin()) || dataClass != SeriesQuery.TENSOR) {
            return stored;
        }
        List<SeriesSummary> all = new ArrayList<>(stored);
        HparamsPluginSeries.of(catalog.hparamsRuns(experiment)).stream()
                .filter(s -> selection.runs() == null || selection.runs().contains(s.run()))
                .filter(s -> selection.tags() == null || selection.tags().contains(s.tag()))
                .forEach(all::add);
        return all;
    }

    /** At most {@code numPoints} real points of each selected scalar series, the newest always among them. */
    public List<SeriesRead<ChunkPoints>> readScalars(String experimentId, SeriesSelection selection, int numPoints) {
        List<SeriesSummary> series = list(experimentId, selection, SeriesQuery.SCALAR);
        Map<Long, ChunkPoints> points = scalars.pickPoints(series.stream().map(SeriesSummary::seriesId).toList(), numPoints);
        ChunkPoints none = new ChunkPoints(new long[0], new double[0], new double[0]);
        return series.stream().map(s -> new SeriesRead<>(s, points.getOrDefault(s.seriesId(), none))).toList();
    }

    /** At most {@code numPoints} steps of each selected tensor series, evenly spaced, the newest kept. */
    public List<SeriesRead<List<StoredTensor>>> readTensors(String experimentId, SeriesSelection selection,
                                                           int numPoints) {
        // The hparams series rebuilt from runs carry their data in the metadata only.
        return readEach(list(experimentId, selection, SeriesQuery.TENSOR), s -> s.seriesId() == HparamsPluginSeries.NOT_STORED
                ? List.of() : tensors.read(s.seriesId(), StepRange.ALL, numPoints).points());
    }

    /** At most {@code numPoints} steps of each selected blob sequence series, evenly spaced, the newest kept. */
    public List<SeriesRead<List<BlobSequenceRef>>> readBlobSequences(String experimentId, SeriesSelection selection,
                                                                    int numPoints) {
        return readEach(list(experimentId, selection, SeriesQuery.BLOB_SEQUENCE),
                s -> blobs.list(s.seriesId(), StepRange.ALL, numPoints).points());
    }

    private static <T> List<SeriesRead<T>> readEach(List<SeriesSummary> series, Function<SeriesSummary, T> read) {
        List<SeriesRead<T>> out = new ArrayList<>(series.size());
        for (SeriesSummary s : series) {
            out.add(new SeriesRead<>(s, read.apply(s)));
        }
        return out;
    }

    /** The key {@link #blob} takes for element {@code index} of a listed step. */
    public static BlobKey blobKey(long experimentId, SeriesSummary series, BlobSequenceRef step, int index) {
        return new BlobKey(experimentId, series.runId(), step.step(), index, series.tag());
    }

    /**
     * The exact stored bytes of one blob (hot raw log, an ingest replica or the archive, CRCs
     * verified), after the same checks as REST's blob download.
     */
    public byte[] blob(String blobKey) {
        BlobKey key = BlobKey.parse(blobKey);
        Experiment experiment = experiments.get(key.experimentId());
        if (runs.get(key.runId()).experimentId() != experiment.id()) {
            throw new NotFoundException("blob_key", "run " + key.runId() + " not found in experiment " + experiment.id());
        }
        return blobService.blob(key.runId(), key.tag(), key.step(), key.index()).data();
    }
}
