package dev.athanor.ingest.grpc;

import dev.athanor.auth.AuditLog;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.ingest.auth.IngestAccess;
import dev.athanor.ingest.catalog.ExperimentRef;
import dev.athanor.proto.ingest.v1.AssetHeader;
import dev.athanor.proto.ingest.v1.RecordBatch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether one Upload stream's caller may write each batch's experiment (writer of its project).
 * Decided once per experiment per stream; audited once per run per stream, not per batch.
 */
final class UploadPermissions {

    private final Caller caller;
    private final IngestAccess access;
    private final Map<String, ExperimentRef> allowed = new HashMap<>();
    private final Set<String> auditedRuns = new HashSet<>();

    UploadPermissions(Caller caller, IngestAccess access) {
        this.caller = caller;
        this.access = access;
    }

    /** UploadAsset: writer of the asset's experiment's project; audited once per asset. */
    void checkAsset(AssetHeader asset) throws Exception {
        ExperimentRef experiment = access.experiment(caller, "asset.experiment_id", asset.getExperimentId(),
                ProjectRole.WRITER, "UploadAsset", true);
        AuditLog.record(caller, "UploadAsset", experiment.project(), Map.of("experiment", experiment.id(),
                "path", asset.getRunPath(), "asset", asset.getPath()), AuditLog.Outcome.ALLOWED, null);
    }

    /** Throws NotFoundException / AccessDeniedException when the batch's experiment is not writable. */
    void check(RecordBatch batch) throws Exception {
        ExperimentRef experiment = allowed.get(batch.getExperimentId());
        if (experiment == null) {
            experiment = access.experiment(caller, "batch.experiment_id", batch.getExperimentId(), ProjectRole.WRITER,
                    "Upload", true);
            allowed.put(batch.getExperimentId(), experiment);
        }
        if (auditedRuns.add(batch.getExperimentId() + "/" + batch.getRunPath())) {
            AuditLog.record(caller, "Upload", experiment.project(), Map.of("experiment", experiment.id(),
                    "path", batch.getRunPath()), AuditLog.Outcome.ALLOWED, null);
        }
    }
}
