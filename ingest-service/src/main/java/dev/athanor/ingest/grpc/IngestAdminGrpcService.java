package dev.athanor.ingest.grpc;

import dev.athanor.auth.AuditLog;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.auth.GrpcCaller;
import dev.athanor.ingest.auth.IngestAccess;
import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.catalog.ExperimentRef;
import dev.athanor.ingest.catalog.Names;
import dev.athanor.ingest.index.Reindexer;
import dev.athanor.proto.ingest.v1.IngestAdminServiceGrpc;
import dev.athanor.proto.ingest.v1.ReindexRequest;
import dev.athanor.proto.ingest.v1.ReindexResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Operator RPCs: rebuilding the index from the raw log. */
@GrpcService
public class IngestAdminGrpcService extends IngestAdminServiceGrpc.IngestAdminServiceImplBase {

    private static final Duration REINDEX_WAIT = Duration.ofMinutes(30);

    private final CatalogStore catalog;
    private final Reindexer reindexer;
    private final IngestAccess access;

    public IngestAdminGrpcService(CatalogStore catalog, Reindexer reindexer, IngestAccess access) {
        this.catalog = catalog;
        this.reindexer = reindexer;
        this.access = access;
    }

    @Override
    @Blocking
    public void reindex(ReindexRequest request, StreamObserver<ReindexResponse> response) {
        Caller caller = GrpcCaller.current();
        try {
            // Rebuilding a project's index is an administrative act: project admins only.
            ExperimentRef experiment = access.experiment(caller, "experiment_id", request.getExperimentId(),
                    ProjectRole.ADMIN, "Reindex", true);
            List<Long> runs;
            if (request.getRunPath().isEmpty()) {
                runs = reindexer.reindexExperiment(experiment.id(), REINDEX_WAIT);
            } else {
                long runId = catalog.runId(experiment, Names.runPath("run_path", request.getRunPath()));
                reindexer.reindexRun(runId, REINDEX_WAIT);
                runs = List.of(runId);
            }
            AuditLog.record(caller, "Reindex", experiment.project(), Map.of("experiment", experiment.id(),
                    "runs", runs.size()), AuditLog.Outcome.ALLOWED, null);
            response.onNext(ReindexResponse.newBuilder()
                    .addAllRunIds(runs.stream().map(String::valueOf).toList()).build());
            response.onCompleted();
        } catch (Exception e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }
}
