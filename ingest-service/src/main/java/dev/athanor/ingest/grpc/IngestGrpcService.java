package dev.athanor.ingest.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.athanor.ingest.assets.AssetProgress;
import dev.athanor.ingest.assets.AssetService;
import dev.athanor.auth.AuditLog;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.auth.GrpcCaller;
import dev.athanor.ingest.auth.IngestAccess;
import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.catalog.ExperimentRef;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.Names;
import dev.athanor.ingest.catalog.RunRef;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.flow.IndexLagGate;
import dev.athanor.ingest.forward.CallOrigin;
import dev.athanor.ingest.forward.Forwarding;
import dev.athanor.ingest.ownership.Ownership;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.ingest.rawlog.RunLog;
import dev.athanor.ingest.upload.BatchWriter;
import dev.athanor.ingest.health.DescriptorGuard;
import dev.athanor.ingest.health.OutOfDescriptorsException;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.Compatibility;
import dev.athanor.proto.ingest.v1.GetAssetStateRequest;
import dev.athanor.proto.ingest.v1.UploadAssetRequest;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.Experiment;
import dev.athanor.proto.ingest.v1.FileOffset;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsResponse;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.Run;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import dev.athanor.proto.ingest.v1.ServerInfoResponse;
import dev.athanor.proto.ingest.v1.UploadLimits;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/** The ingest gRPC API: translates requests to the catalog, the raw log and the upload pipeline. */
@GrpcService
public class IngestGrpcService implements IngestServiceGrpc.AsyncService, BindableService {

    private static final Logger LOG = Logger.getLogger(IngestGrpcService.class);

    static final String SERVER_VERSION = "athanor-ingest/0.1.0";

    private final CatalogStore catalog;
    private final RawLog rawLog;
    private final BatchWriter writer;
    private final IndexLagGate gate;
    private final IngestConfig config;
    private final AssetService assets;
    private final IngestAccess access;
    private final Forwarding forwarding;
    private final Ownership ownership;
    private final DescriptorGuard descriptors;

    public IngestGrpcService(CatalogStore catalog, RawLog rawLog, BatchWriter writer, IndexLagGate gate,
                             IngestConfig config, AssetService assets, IngestAccess access, Forwarding forwarding,
                             Ownership ownership, DescriptorGuard descriptors) {
        this.descriptors = descriptors;
        this.forwarding = forwarding;
        this.ownership = ownership;
        this.assets = assets;
        this.access = access;
        this.catalog = catalog;
        this.rawLog = rawLog;
        this.writer = writer;
        this.gate = gate;
        this.config = config;
    }

    /**
     * As the generated base would bind it, but Upload's records are parsed as slices of their
     * message ({@link UploadRequestMarshaller}); the base's {@code bindService} is final, so the
     * service implements the generated interface itself.
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UploadRequestMarshaller.servingUpload(IngestServiceGrpc.bindService(this));
    }

    @Override
    public void getServerInfo(ServerInfoRequest request, StreamObserver<ServerInfoResponse> response) {
        IngestConfig.Limits limits = config.limits();
        response.onNext(ServerInfoResponse.newBuilder()
                .setServerVersion(SERVER_VERSION)
                .setLimits(UploadLimits.newBuilder()
                        .setMaxMessageBytes(limits.maxMessageBytes())
                        .setMaxRecordBytes(limits.maxRecordBytes())
                        .setMaxBatchBytes(limits.maxBatchBytes())
                        .setMaxInflightBatches(limits.maxInflightBatches())
                        .setMaxBytesPerSecond(0)
                        .setMaxAssetBytes(config.assets().maxBytes())
                        .setMaxAssetChunkBytes(config.assets().maxChunkBytes())
                        .setMaxTagBytes(config.index().maxTagBytes()))
                .setCompatibility(Compatibility.newBuilder().setVerdict(Compatibility.Verdict.VERDICT_OK))
                .build());
        response.onCompleted();
    }

    @Override
    @Blocking
    public void createExperiment(CreateExperimentRequest request, StreamObserver<Experiment> response) {
        Caller caller = GrpcCaller.current();
        String project = request.getProject().isEmpty() ? "default" : request.getProject();
        unary(response, () -> {
            access.requireWriter(caller, project, request.getName(), "CreateExperiment");
            // With auth on, projects live in Keycloak: a writer's first experiment creates the row.
            ExperimentRef created = catalog.createExperiment(project, request.getName(), request.getDescription(),
                    !caller.grants().isSuperuser());
            AuditLog.record(caller, "CreateExperiment", project, Map.of("experiment", created.id(),
                    "name", created.name()), AuditLog.Outcome.ALLOWED, null);
            return toProto(created);
        });
    }

    @Override
    @Blocking
    public void createRun(CreateRunRequest request, StreamObserver<Run> response) {
        Caller caller = GrpcCaller.current();
        unary(response, () -> {
            ExperimentRef experiment = access.experiment(caller, "experiment_id", request.getExperimentId(),
                    ProjectRole.WRITER, "CreateRun", true);
            RunRef run = catalog.createRun(experiment, Names.runPath("path", request.getPath()));
            AuditLog.record(caller, "CreateRun", experiment.project(), Map.of("experiment", experiment.id(),
                    "run", run.id(), "path", run.path()), AuditLog.Outcome.ALLOWED, null);
            return toProto(run);
        });
    }

    @Override
    @Blocking
    public void getCommittedOffsets(GetCommittedOffsetsRequest request,
                                    StreamObserver<GetCommittedOffsetsResponse> response) {
        Caller caller = GrpcCaller.current();
        unary(response, () -> {
            ExperimentRef experiment = access.experiment(caller, "experiment_id", request.getExperimentId(),
                    ProjectRole.READER, "GetCommittedOffsets", false);
            List<String> paths = new ArrayList<>();
            Map<String, Long> ids = new TreeMap<>();
            if (request.getRunPath().isEmpty()) {
                for (RunRef run : catalog.runs(experiment)) {
                    ids.put(run.path(), run.id());
                }
            } else {
                String path = Names.runPath("run_path", request.getRunPath());
                ids.put(path, catalog.runId(experiment, path));
            }
            paths.addAll(ids.keySet());
            GetCommittedOffsetsResponse.Builder out = GetCommittedOffsetsResponse.newBuilder();
            for (String path : paths) {
                // The ledger answers for every replica (whoever owns the run, wherever its bytes
                // lie); a log open here adds runs written before the ledger existed.
                Map<String, Long> offsets = new TreeMap<>(rawLog.ledger().committedOffsets(ids.get(path)));
                rawLog.opened(ids.get(path)).ifPresent(log -> log.committedOffsets()
                        .forEach((file, offset) -> offsets.merge(file, offset, Math::max)));
                Map<String, Integer> heads = rawLog.ledger().fileHeads(ids.get(path));
                offsets.forEach((file, offset) -> {
                    FileOffset.Builder entry = FileOffset.newBuilder().setRunPath(path).setFileName(file)
                            .setCommittedOffset(offset);
                    Integer head = heads.get(file);
                    if (head != null) {
                        entry.setHeadCrc(head);
                    }
                    out.addOffsets(entry);
                });
            }
            return out.build();
        });
    }

    /**
     * The run's open segment lies on its owner: a FinishRun that reached another replica is passed
     * on (once), so the last segment is sealed, and archived, now rather than at its max age.
     */
    private void sealOnOwner(long runId, FinishRunRequest request) throws java.sql.SQLException {
        CallOrigin origin = CallOrigin.current();
        if (origin.forwarded()) {
            return;
        }
        var owner = ownership.otherLiveHolder(runId);
        if (owner.isEmpty()) {
            return;
        }
        try {
            forwarding.finishOnOwner(owner.get(), request, origin, config.forward().connectTimeout());
        } catch (StatusRuntimeException e) {
            // The run is marked finished either way; the owner seals at max age or at its drain.
            LOG.warnf("FinishRun of run %d: its owner %s (%s) did not seal the open segment: %s", runId,
                    owner.get().owner(), owner.get().ownerAddress(), e.getStatus());
        }
    }

    @Override
    public StreamObserver<UploadRequest> upload(StreamObserver<UploadResponse> response) {
        if (!(response instanceof ServerCallStreamObserver<UploadResponse> call)) {
            throw Status.INTERNAL.withDescription("flow control unavailable on this transport").asRuntimeException();
        }
        if (refusedForDescriptors(call, "a new upload stream")) {
            return new DiscardingObserver<>();
        }
        return new UploadStream(call, writer, gate, config.limits().maxInflightBatches(),
                new UploadPermissions(GrpcCaller.current(), access), forwarding);
    }

    @Override
    @Blocking
    public void finishRun(FinishRunRequest request, StreamObserver<Run> response) {
        Caller caller = GrpcCaller.current();
        unary(response, () -> {
            ExperimentRef experiment = access.experiment(caller, "experiment_id", request.getExperimentId(),
                    ProjectRole.WRITER, "FinishRun", true);
            String path = Names.runPath("run_path", request.getRunPath());
            String status = switch (request.getStatus()) {
                case RUN_STATUS_FINISHED -> "FINISHED";
                case RUN_STATUS_FAILED -> "FAILED";
                default -> throw new InvalidInputException("status",
                        "must be RUN_STATUS_FINISHED or RUN_STATUS_FAILED, got " + request.getStatus());
            };
            RunRef run = catalog.finishRun(experiment, path, status);
            RunIdentity identity = new RunIdentity(run.id(), experiment.id(), experiment.project(),
                    experiment.name(), path);
            var log = rawLog.openIfExists(identity);
            if (log.isPresent()) {
                RunLog runLog = log.get();
                runLog.seal();
                rawLog.commitSoon(runLog);
            }
            sealOnOwner(run.id(), request);
            AuditLog.record(caller, "FinishRun", experiment.project(), Map.of("experiment", experiment.id(),
                    "run", run.id(), "path", path, "status", status), AuditLog.Outcome.ALLOWED, null);
            return toProto(run);
        });
    }

    @Override
    @Blocking
    public void getAssetState(GetAssetStateRequest request, StreamObserver<AssetState> response) {
        Caller caller = GrpcCaller.current();
        unary(response, () -> {
            access.experiment(caller, "asset.experiment_id", request.getAsset().getExperimentId(), ProjectRole.READER,
                    "GetAssetState", false);
            return toProto(assets.state(request.getAsset()));
        });
    }

    @Override
    public StreamObserver<UploadAssetRequest> uploadAsset(StreamObserver<AssetState> response) {
        if (!(response instanceof ServerCallStreamObserver<AssetState> call)) {
            throw Status.INTERNAL.withDescription("flow control unavailable on this transport").asRuntimeException();
        }
        if (refusedForDescriptors(call, "a new asset upload")) {
            return new DiscardingObserver<>();
        }
        return new AssetUploadStream(call, assets, new UploadPermissions(GrpcCaller.current(), access));
    }

    /** Near the open-file limit a new stream is answered RESOURCE_EXHAUSTED at once (DescriptorGuard). */
    private boolean refusedForDescriptors(StreamObserver<?> call, String what) {
        try {
            descriptors.requireRoomFor(what);
            return false;
        } catch (OutOfDescriptorsException e) {
            call.onError(GrpcErrors.toStatus(e));
            return true;
        }
    }

    static AssetState toProto(AssetProgress progress) {
        return AssetState.newBuilder()
                .setState(progress.complete() ? AssetState.State.STATE_COMPLETE : AssetState.State.STATE_PARTIAL)
                .setCommittedOffset(progress.committedOffset())
                .setSize(progress.content().size())
                .setSha256(ByteString.copyFrom(progress.content().sha256Bytes()))
                .build();
    }

    @FunctionalInterface
    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> void unary(StreamObserver<T> response, Call<T> call) {
        T result;
        try {
            result = call.get();
        } catch (Exception e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    static Experiment toProto(ExperimentRef e) {
        return Experiment.newBuilder()
                .setExperimentId(Long.toString(e.id()))
                .setProject(e.project())
                .setName(e.name())
                .setDescription(e.description())
                .setCreateTime(timestamp(e.createdAt()))
                .build();
    }

    static Run toProto(RunRef r) {
        Run.Builder b = Run.newBuilder()
                .setRunId(Long.toString(r.id()))
                .setExperimentId(Long.toString(r.experiment().id()))
                .setPath(r.path())
                .setStatus(switch (r.status()) {
                    case "FINISHED" -> RunStatus.RUN_STATUS_FINISHED;
                    case "FAILED" -> RunStatus.RUN_STATUS_FAILED;
                    default -> RunStatus.RUN_STATUS_RUNNING;
                });
        if (r.startedAt() != null) {
            b.setStartTime(timestamp(r.startedAt()));
        }
        if (r.endedAt() != null) {
            b.setEndTime(timestamp(r.endedAt()));
        }
        return b.build();
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
