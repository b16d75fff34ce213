package dev.athanor.ingest.auth;

import static dev.athanor.auth.AccessRule.project;
import static dev.athanor.auth.AccessRule.signedIn;
import static dev.athanor.auth.ProjectRole.ADMIN;
import static dev.athanor.auth.ProjectRole.READER;
import static dev.athanor.auth.ProjectRole.WRITER;

import dev.athanor.auth.AccessRules;

/**
 * Who may call each ingest RPC, in the vocabulary of the REST services' tables. An RPC names its
 * project in the request (an experiment id, or the project of CreateExperiment), so for a
 * {@link dev.athanor.auth.Access#PROJECT} rule the {@link GrpcAuthInterceptor} requires a verified
 * token and the service checks the role written here on the request's project ({@link IngestAccess}).
 * An RPC missing here is refused to everyone; {@code IngestAccessRulesTest} lists the served methods
 * against this table and the matrix's expected roles against its roles.
 */
public final class IngestAccessRules {

    private static final String INGEST = "athanor.ingest.v1.IngestService/";

    public static final AccessRules TABLE = AccessRules.of(
            signedIn(INGEST + "GetServerInfo"),
            project(INGEST + "CreateExperiment", WRITER),
            project(INGEST + "CreateRun", WRITER),
            project(INGEST + "GetCommittedOffsets", READER),
            project(INGEST + "Upload", WRITER),
            project(INGEST + "FinishRun", WRITER),
            project(INGEST + "GetAssetState", READER),
            project(INGEST + "UploadAsset", WRITER),
            project("athanor.ingest.v1.IngestAdminService/Reindex", ADMIN),
            // query-service's raw reads, with the caller's own token.
            project("athanor.ingest.v1.IngestRawReadService/ReadSegmentRange", READER),
            project("athanor.ingest.v1.IngestRawReadService/ReadAssetRange", READER),
            // The standard gRPC health service quarkus-grpc adds (a token, as for every RPC so far).
            signedIn("grpc.health.v1.Health/Check"),
            signedIn("grpc.health.v1.Health/Watch"));

    private IngestAccessRules() {
    }
}
