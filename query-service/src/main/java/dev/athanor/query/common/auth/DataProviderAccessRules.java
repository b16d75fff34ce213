package dev.athanor.query.common.auth;

import static dev.athanor.auth.AccessRule.project;
import static dev.athanor.auth.AccessRule.signedIn;
import static dev.athanor.auth.ProjectRole.READER;

import dev.athanor.auth.AccessRules;

/**
 * Who may call each RPC of query-service's gRPC port (TensorBoard's data provider), in the vocabulary
 * of {@link QueryAccessRules}. Every RPC names its experiment in the request ({@code experiment_id},
 * or the experiment that leads ReadBlob's {@code blob_key}), so for these project rules
 * {@link DataProviderAccessEdge} requires a verified token and the data-provider service answers an
 * experiment the caller cannot read (the role here) NOT_FOUND, as REST answers 404. An RPC missing
 * here is refused to everyone, and query-service does not start with one ({@code UnruledEndpointCheck}).
 */
public final class DataProviderAccessRules {

    private static final String DATA_PROVIDER = "tensorboard.data.TensorBoardDataProvider/";

    public static final AccessRules TABLE = AccessRules.of(
            project(DATA_PROVIDER + "GetExperiment", READER),
            project(DATA_PROVIDER + "ListPlugins", READER),
            project(DATA_PROVIDER + "ListRuns", READER),
            project(DATA_PROVIDER + "ListScalars", READER),
            project(DATA_PROVIDER + "ReadScalars", READER),
            project(DATA_PROVIDER + "ListTensors", READER),
            project(DATA_PROVIDER + "ReadTensors", READER),
            project(DATA_PROVIDER + "ListBlobSequences", READER),
            project(DATA_PROVIDER + "ReadBlobSequences", READER),
            project(DATA_PROVIDER + "ReadBlob", READER),
            // The standard gRPC health service quarkus-grpc adds (a token, as on ingest).
            signedIn("grpc.health.v1.Health/Check"),
            signedIn("grpc.health.v1.Health/Watch"));

    private DataProviderAccessRules() {
    }
}
