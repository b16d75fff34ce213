package dev.athanor.query.dataprovider.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.data.BlobReference;
import dev.athanor.proto.tensorboard.data.BlobReferenceSequence;
import dev.athanor.proto.tensorboard.data.BlobSequenceData;
import dev.athanor.proto.tensorboard.data.BlobSequenceMetadata;
import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.GetExperimentResponse;
import dev.athanor.proto.tensorboard.data.ListBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ListBlobSequencesResponse;
import dev.athanor.proto.tensorboard.data.ListPluginsRequest;
import dev.athanor.proto.tensorboard.data.ListPluginsResponse;
import dev.athanor.proto.tensorboard.data.ListRunsRequest;
import dev.athanor.proto.tensorboard.data.ListRunsResponse;
import dev.athanor.proto.tensorboard.data.ListScalarsRequest;
import dev.athanor.proto.tensorboard.data.ListScalarsResponse;
import dev.athanor.proto.tensorboard.data.ListTensorsRequest;
import dev.athanor.proto.tensorboard.data.ListTensorsResponse;
import dev.athanor.proto.tensorboard.data.Plugin;
import dev.athanor.proto.tensorboard.data.ReadBlobRequest;
import dev.athanor.proto.tensorboard.data.ReadBlobResponse;
import dev.athanor.proto.tensorboard.data.ReadBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ReadBlobSequencesResponse;
import dev.athanor.proto.tensorboard.data.ReadScalarsRequest;
import dev.athanor.proto.tensorboard.data.ReadScalarsResponse;
import dev.athanor.proto.tensorboard.data.ReadTensorsRequest;
import dev.athanor.proto.tensorboard.data.ReadTensorsResponse;
import dev.athanor.proto.tensorboard.data.Run;
import dev.athanor.proto.tensorboard.data.ScalarData;
import dev.athanor.proto.tensorboard.data.ScalarMetadata;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import dev.athanor.proto.tensorboard.data.TensorData;
import dev.athanor.proto.tensorboard.data.TensorMetadata;
import dev.athanor.query.blobs.store.BlobSequenceRef;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.dataprovider.service.DataProviderService;
import dev.athanor.query.dataprovider.service.SeriesRead;
import dev.athanor.query.dataprovider.service.SeriesSelection;
import dev.athanor.query.dataprovider.store.RunStart;
import dev.athanor.query.dataprovider.store.SeriesQuery;
import dev.athanor.query.dataprovider.store.SeriesSummary;
import dev.athanor.query.experiments.store.Experiment;
import dev.athanor.query.scalars.store.ChunkPoints;
import dev.athanor.query.tensors.store.StoredTensor;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * TensorBoard's data-provider service ({@code tensorboard.data.TensorBoardDataProvider}) on
 * query-service's gRPC port: what stock TensorBoard started with {@code --grpc_data_provider}
 * asks. Translates between the protocol's messages and {@link DataProviderService}; answers are
 * columnar per run, then tag, in run-name then tag order. Who may call each RPC: {@code DataProviderAccessRules}.
 */
@GrpcService
public class DataProviderGrpcService extends TensorBoardDataProviderGrpc.TensorBoardDataProviderImplBase {

    /** ReadBlob's chunk size: far below gRPC's default 4 MiB message bound. */
    static final int BLOB_CHUNK_BYTES = 1 << 20;

    private final DataProviderService service;
    private final DataProviderCalls calls;

    public DataProviderGrpcService(DataProviderService service, DataProviderCalls calls) {
        this.service = service;
        this.calls = calls;
    }

    @Override
    @Blocking
    public void getExperiment(GetExperimentRequest request, StreamObserver<GetExperimentResponse> out) {
        calls.unary("GetExperiment", out, () -> {
            Experiment e = service.experiment(request.getExperimentId());
            return GetExperimentResponse.newBuilder()
                    .setDataLocation("Athanor: project " + e.project() + ", experiment " + e.name() + " (id " + e.id() + ")")
                    .setName(e.name())
                    .setDescription(e.description() == null ? "" : e.description())
                    .setCreationTime(Timestamp.newBuilder().setSeconds(e.createdAt().getEpochSecond())
                            .setNanos(e.createdAt().getNano()))
                    .build();
        });
    }

    @Override
    @Blocking
    public void listPlugins(ListPluginsRequest request, StreamObserver<ListPluginsResponse> out) {
        calls.unary("ListPlugins", out, () -> {
            ListPluginsResponse.Builder response = ListPluginsResponse.newBuilder();
            service.plugins(request.getExperimentId()).forEach(p -> response.addPlugins(Plugin.newBuilder().setName(p)));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> out) {
        calls.unary("ListRuns", out, () -> {
            ListRunsResponse.Builder response = ListRunsResponse.newBuilder();
            for (RunStart run : service.runs(request.getExperimentId())) {
                Run.Builder r = Run.newBuilder().setName(run.name());
                if (run.startTime() != null) {
                    r.setStartTime(run.startTime());
                }
                response.addRuns(r);
            }
            return response.build();
        });
    }

    @Override
    @Blocking
    public void listScalars(ListScalarsRequest request, StreamObserver<ListScalarsResponse> out) {
        calls.unary("ListScalars", out, () -> {
            ListScalarsResponse.Builder response = ListScalarsResponse.newBuilder();
            List<SeriesSummary> series = service.list(request.getExperimentId(),
                    ProtoFilters.selection(request.getPluginFilter(), request.hasRunTagFilter(), request.getRunTagFilter()),
                    SeriesQuery.SCALAR);
            byRun(series, s -> s, (run, tags) -> response.addRunsBuilder().setRunName(run).addAllTags(tags.stream()
                    .map(s -> ListScalarsResponse.TagEntry.newBuilder().setTagName(s.tag()).setMetadata(
                            ScalarMetadata.newBuilder().setMaxStep(s.maxStep()).setMaxWallTime(s.maxWallTime())
                                    .setSummaryMetadata(metadata(s))).build()).toList()));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void readScalars(ReadScalarsRequest request, StreamObserver<ReadScalarsResponse> out) {
        calls.unary("ReadScalars", out, () -> {
            ReadScalarsResponse.Builder response = ReadScalarsResponse.newBuilder();
            List<SeriesRead<ChunkPoints>> reads = service.readScalars(request.getExperimentId(),
                    ProtoFilters.selection(request.getPluginFilter(), request.hasRunTagFilter(), request.getRunTagFilter()),
                    ProtoFilters.numPoints(request.hasDownsample(), request.getDownsample()));
            byRun(reads, SeriesRead::series, (run, tags) -> response.addRunsBuilder().setRunName(run).addAllTags(tags.stream()
                    .map(read -> ReadScalarsResponse.TagEntry.newBuilder().setTagName(read.series().tag())
                            .setData(scalarData(read.points())).build()).toList()));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void listTensors(ListTensorsRequest request, StreamObserver<ListTensorsResponse> out) {
        calls.unary("ListTensors", out, () -> {
            ListTensorsResponse.Builder response = ListTensorsResponse.newBuilder();
            List<SeriesSummary> series = service.list(request.getExperimentId(),
                    ProtoFilters.selection(request.getPluginFilter(), request.hasRunTagFilter(), request.getRunTagFilter()),
                    SeriesQuery.TENSOR);
            byRun(series, s -> s, (run, tags) -> response.addRunsBuilder().setRunName(run).addAllTags(tags.stream()
                    .map(s -> ListTensorsResponse.TagEntry.newBuilder().setTagName(s.tag()).setMetadata(
                            TensorMetadata.newBuilder().setMaxStep(s.maxStep()).setMaxWallTime(s.maxWallTime())
                                    .setSummaryMetadata(metadata(s))).build()).toList()));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void readTensors(ReadTensorsRequest request, StreamObserver<ReadTensorsResponse> out) {
        calls.unary("ReadTensors", out, () -> {
            ReadTensorsResponse.Builder response = ReadTensorsResponse.newBuilder();
            List<SeriesRead<List<StoredTensor>>> reads = service.readTensors(request.getExperimentId(),
                    ProtoFilters.selection(request.getPluginFilter(), request.hasRunTagFilter(), request.getRunTagFilter()),
                    ProtoFilters.numPoints(request.hasDownsample(), request.getDownsample()));
            byRun(reads, SeriesRead::series, (run, tags) -> response.addRunsBuilder().setRunName(run).addAllTags(tags.stream()
                    .map(read -> ReadTensorsResponse.TagEntry.newBuilder().setTagName(read.series().tag())
                            .setData(tensorData(read)).build()).toList()));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void listBlobSequences(ListBlobSequencesRequest request, StreamObserver<ListBlobSequencesResponse> out) {
        calls.unary("ListBlobSequences", out, () -> {
            ListBlobSequencesResponse.Builder response = ListBlobSequencesResponse.newBuilder();
            List<SeriesSummary> series = service.list(request.getExperimentId(),
                    ProtoFilters.selection(request.getPluginFilter(), request.hasRunTagFilter(), request.getRunTagFilter()),
                    SeriesQuery.BLOB_SEQUENCE);
            byRun(series, s -> s, (run, tags) -> response.addRunsBuilder().setRunName(run).addAllTags(tags.stream()
                    .map(s -> ListBlobSequencesResponse.TagEntry.newBuilder().setTagName(s.tag()).setMetadata(
                            BlobSequenceMetadata.newBuilder().setMaxStep(s.maxStep()).setMaxWallTime(s.maxWallTime())
                                    .setMaxLength(s.maxLength()).setSummaryMetadata(metadata(s))).build()).toList()));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void readBlobSequences(ReadBlobSequencesRequest request, StreamObserver<ReadBlobSequencesResponse> out) {
        calls.unary("ReadBlobSequences", out, () -> {
            long experiment = service.experiment(request.getExperimentId()).id();
            ReadBlobSequencesResponse.Builder response = ReadBlobSequencesResponse.newBuilder();
            List<SeriesRead<List<BlobSequenceRef>>> reads = service.readBlobSequences(request.getExperimentId(),
                    ProtoFilters.selection(request.getPluginFilter(), request.hasRunTagFilter(), request.getRunTagFilter()),
                    ProtoFilters.numPoints(request.hasDownsample(), request.getDownsample()));
            byRun(reads, SeriesRead::series, (run, tags) -> response.addRunsBuilder().setRunName(run).addAllTags(tags.stream()
                    .map(read -> ReadBlobSequencesResponse.TagEntry.newBuilder().setTagName(read.series().tag())
                            .setData(blobSequenceData(experiment, read)).build()).toList()));
            return response.build();
        });
    }

    @Override
    @Blocking
    public void readBlob(ReadBlobRequest request, StreamObserver<ReadBlobResponse> out) {
        calls.streaming("ReadBlob", out, send -> {
            byte[] blob = service.blob(request.getBlobKey());
            for (int from = 0; from < blob.length; from += BLOB_CHUNK_BYTES) {
                int length = Math.min(BLOB_CHUNK_BYTES, blob.length - from);
                send.accept(ReadBlobResponse.newBuilder().setData(ByteString.copyFrom(blob, from, length)).build());
            }
        });
    }

    /** Groups consecutive items of one run (the service answers in run order) and hands each group on. */
    private static <T> void byRun(List<T> items, Function<T, SeriesSummary> series,
                                  BiConsumer<String, List<T>> perRun) {
        Map<String, List<T>> runs = new LinkedHashMap<>();
        for (T item : items) {
            runs.computeIfAbsent(series.apply(item).run(), r -> new ArrayList<>()).add(item);
        }
        runs.forEach(perRun);
    }

    private static SummaryMetadata metadata(SeriesSummary series) {
        if (series.metadata() == null) {
            return SummaryMetadata.getDefaultInstance();
        }
        try {
            return SummaryMetadata.parseFrom(series.metadata());
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptRawDataException("the index holds unreadable summary metadata for tag '" + series.tag()
                    + "' of run '" + series.run() + "': " + e.getMessage(), e);
        }
    }

    private static ScalarData scalarData(ChunkPoints points) {
        ScalarData.Builder data = ScalarData.newBuilder();
        for (int i = 0; i < points.size(); i++) {
            // The protocol's values are float32 (TensorBoard's scalars are written as float32).
            data.addStep(points.steps()[i]).addWallTime(points.wallTimes()[i]).addValue((float) points.values()[i]);
        }
        return data.build();
    }

    private static TensorData tensorData(SeriesRead<List<StoredTensor>> read) {
        TensorData.Builder data = TensorData.newBuilder();
        for (StoredTensor t : read.points()) {
            try {
                data.addStep(t.step()).addWallTime(t.wallTime()).addValue(TensorProto.parseFrom(t.tensor()));
            } catch (InvalidProtocolBufferException e) {
                throw new CorruptRawDataException("the index holds an unreadable tensor at step " + t.step() + " of tag '"
                        + read.series().tag() + "' of run '" + read.series().run() + "': " + e.getMessage(), e);
            }
        }
        return data.build();
    }

    private static BlobSequenceData blobSequenceData(long experiment, SeriesRead<List<BlobSequenceRef>> read) {
        BlobSequenceData.Builder data = BlobSequenceData.newBuilder();
        for (BlobSequenceRef step : read.points()) {
            BlobReferenceSequence.Builder refs = BlobReferenceSequence.newBuilder();
            for (int i = 0; i < step.blobCount(); i++) {
                refs.addBlobRefs(BlobReference.newBuilder()
                        .setBlobKey(DataProviderService.blobKey(experiment, read.series(), step, i).toString()));
            }
            data.addStep(step.step()).addWallTime(step.wallTime()).addValues(refs);
        }
        return data.build();
    }
}
