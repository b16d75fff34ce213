package dev.athanor.query.dataprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.auth.Access;
import dev.athanor.auth.GrpcAccessEdge;
import dev.athanor.auth.ProjectRole;
import dev.athanor.auth.testing.AuthOnProfile;
import dev.athanor.auth.testing.TestTokens;
import dev.athanor.proto.tensorboard.data.Downsample;
import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.ListBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ListPluginsRequest;
import dev.athanor.proto.tensorboard.data.ListRunsRequest;
import dev.athanor.proto.tensorboard.data.ListScalarsRequest;
import dev.athanor.proto.tensorboard.data.PluginFilter;
import dev.athanor.proto.tensorboard.data.ReadBlobRequest;
import dev.athanor.proto.tensorboard.data.ListTensorsRequest;
import dev.athanor.proto.tensorboard.data.ReadBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ReadScalarsRequest;
import dev.athanor.proto.tensorboard.data.ReadTensorsRequest;
import dev.athanor.proto.tensorboard.data.Run;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc.TensorBoardDataProviderBlockingStub;
import dev.athanor.query.common.auth.DataProviderAccessRules;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.FreeGrpcPortResource;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The data-provider port's auth matrix, auth on, every RPC of the protocol: service-auth's gRPC edge
 * with {@link DataProviderAccessRules} verifies the bearer token in the call's metadata as REST
 * verifies it (UNAUTHENTICATED saying what was wrong), a reader of the project is answered, and a
 * caller sees only experiments of projects it reads — another project's experiment is NOT_FOUND word
 * for word as a missing one.
 */
@Tag("quarkus")
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(FreeGrpcPortResource.class)
class DataProviderAuthGrpcTest {

    /** One project with one experiment, one run and a scalar series "loss". */
    record Side(String project, long experiment, long run) {
        String reader() {
            return "Bearer " + TestTokens.valid(project + "-reader", "project:" + project + ":reader");
        }
    }

    static Side alpha;
    static Side beta;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    DataProviderClient client;

    @BeforeEach
    void setUp() {
        if (alpha == null) {
            String prefix = IndexTestData.unique("dpauth");
            alpha = side(prefix + "-alpha");
            beta = side(prefix + "-beta");
        }
        client = new DataProviderClient(config.dataProvider().port());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        client.close();
    }

    /** Every RPC that names an experiment, aimed at one (ReadBlob names it in its blob key: see {@link #blobKey}). */
    static final Map<String, Function<Long, Function<TensorBoardDataProviderBlockingStub, Object>>> CALLS = Map.of(
            "GetExperiment", id -> s -> s.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(id.toString()).build()),
            "ListPlugins", id -> s -> s.listPlugins(ListPluginsRequest.newBuilder().setExperimentId(id.toString()).build()),
            "ListRuns", id -> s -> s.listRuns(ListRunsRequest.newBuilder().setExperimentId(id.toString()).build()),
            "ListScalars", id -> s -> s.listScalars(ListScalarsRequest.newBuilder().setExperimentId(id.toString())
                    .setPluginFilter(scalars()).build()),
            "ReadScalars", id -> s -> s.readScalars(ReadScalarsRequest.newBuilder().setExperimentId(id.toString())
                    .setPluginFilter(scalars()).setDownsample(tenPoints()).build()),
            "ListTensors", id -> s -> s.listTensors(ListTensorsRequest.newBuilder().setExperimentId(id.toString())
                    .setPluginFilter(scalars()).build()),
            "ReadTensors", id -> s -> s.readTensors(ReadTensorsRequest.newBuilder().setExperimentId(id.toString())
                    .setPluginFilter(scalars()).setDownsample(tenPoints()).build()),
            "ListBlobSequences", id -> s -> s.listBlobSequences(ListBlobSequencesRequest.newBuilder()
                    .setExperimentId(id.toString()).setPluginFilter(scalars()).build()),
            "ReadBlobSequences", id -> s -> s.readBlobSequences(ReadBlobSequencesRequest.newBuilder()
                    .setExperimentId(id.toString()).setPluginFilter(scalars()).setDownsample(tenPoints()).build()));

    private static PluginFilter scalars() {
        return PluginFilter.newBuilder().setPluginName("scalars").build();
    }

    private static Downsample tenPoints() {
        return Downsample.newBuilder().setNumPoints(10).build();
    }

    /** The matrix covers the whole protocol, and each row's expectation is the RPC's access rule. */
    @Test
    void everyRpcOfTheProtocolIsInTheMatrixUnderAReaderRule() {
        Set<String> rpcs = new TreeSet<>();
        TensorBoardDataProviderGrpc.getServiceDescriptor().getMethods()
                .forEach(m -> rpcs.add(m.getBareMethodName()));
        Set<String> rows = new TreeSet<>(CALLS.keySet());
        rows.add("ReadBlob");
        assertThat(rows).isEqualTo(rpcs);
        for (String rpc : rpcs) {
            assertThat(DataProviderAccessRules.TABLE.find(TensorBoardDataProviderGrpc.SERVICE_NAME + "/" + rpc))
                    .as(rpc).hasValueSatisfying(rule -> {
                        assertThat(rule.access()).isEqualTo(Access.PROJECT);
                        assertThat(rule.role()).isEqualTo(ProjectRole.READER);
                    });
        }
    }

    @Test
    void aReaderOfTheProjectIsAnsweredByEveryRpc() {
        TensorBoardDataProviderBlockingStub stub = client.stub(alpha.reader());
        CALLS.forEach((name, call) -> assertThatCode(() -> call.apply(alpha.experiment()).apply(stub)).as(name)
                .doesNotThrowAnyException());
        // The key names a scalar series, so ReadBlob may find no blob there; past the edge it gets, and the
        // experiment is found (another project's reader is told it is not).
        try {
            stub.readBlob(ReadBlobRequest.newBuilder().setBlobKey(blobKey(alpha)).build()).hasNext();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString())
                    .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).doesNotContain("experiment " + alpha.experiment() + " not found");
        }
    }

    /** The edge's refusal asks the client to sign in (RFC 6750 challenge), and only there. */
    @Test
    void unauthenticatedCarriesTheBearerChallenge() {
        StatusRuntimeException refused = refusal(() -> client.stub().listRuns(ListRunsRequest.newBuilder()
                .setExperimentId(Long.toString(alpha.experiment())).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getTrailers().get(GrpcAccessEdge.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"athanor\"");
    }

    @Test
    void aReaderOfTheProjectReadsItsExperiment() {
        TensorBoardDataProviderBlockingStub stub = client.stub(alpha.reader());
        assertThat(stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(Long.toString(alpha.experiment())).build())
                .getRunsList()).extracting(Run::getName).containsExactly("run");
        assertThat(stub.readScalars(ReadScalarsRequest.newBuilder().setExperimentId(Long.toString(alpha.experiment()))
                .setPluginFilter(PluginFilter.newBuilder().setPluginName("scalars"))
                .setDownsample(Downsample.newBuilder().setNumPoints(10)).build())
                .getRuns(0).getTags(0).getData().getValueList()).containsExactly(3f, 2f, 1f);
    }

    @Test
    void aCallWithoutAValidTokenIsUnauthenticatedSayingWhy() {
        long experiment = alpha.experiment();
        CALLS.forEach((name, call) -> {
            assertRefused(() -> call.apply(experiment).apply(client.stub()), Status.Code.UNAUTHENTICATED, "token");
            assertRefused(() -> call.apply(experiment).apply(client.stub("Basic dXNlcjpwdw==")),
                    Status.Code.UNAUTHENTICATED, "Bearer");
            assertRefused(() -> call.apply(experiment).apply(client.stub("Bearer "
                    + TestTokens.expired("late", "project:" + alpha.project() + ":reader"))), Status.Code.UNAUTHENTICATED,
                    "expired");
        });
        assertRefused(() -> client.stub().readBlob(ReadBlobRequest.newBuilder().setBlobKey(blobKey(alpha)).build()).hasNext(),
                Status.Code.UNAUTHENTICATED, "token");
    }

    @Test
    void anotherProjectsExperimentIsNotFoundExactlyLikeAMissingOne() {
        long missing = 987_654_321_012L;
        String otherReader = beta.reader();
        CALLS.forEach((name, call) -> {
            StatusRuntimeException hidden = refusal(() -> call.apply(alpha.experiment()).apply(client.stub(otherReader)));
            StatusRuntimeException absent = refusal(() -> call.apply(missing).apply(client.stub(otherReader)));
            assertThat(hidden.getStatus().getCode()).as(name).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(hidden.getStatus().getDescription()).as(name)
                    .isEqualTo(absent.getStatus().getDescription().replace(Long.toString(missing), Long.toString(alpha.experiment())));
        });
        assertRefused(() -> client.stub(otherReader).readBlob(ReadBlobRequest.newBuilder().setBlobKey(blobKey(alpha)).build())
                .hasNext(), Status.Code.NOT_FOUND, "experiment " + alpha.experiment() + " not found");
        String noRoles = "Bearer " + TestTokens.valid("nobody");
        assertRefused(() -> client.stub(noRoles).getExperiment(GetExperimentRequest.newBuilder()
                .setExperimentId(Long.toString(alpha.experiment())).build()), Status.Code.NOT_FOUND, "not found");
    }

    private static String blobKey(Side side) {
        return side.experiment() + "." + side.run() + ".0.0." + Base64.getUrlEncoder().withoutPadding().encodeToString("loss".getBytes());
    }

    private static StatusRuntimeException refusal(ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (StatusRuntimeException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected a gRPC status, got " + t, t);
        }
        throw new AssertionError("the call was not refused");
    }

    private static void assertRefused(ThrowableAssert.ThrowingCallable call, Status.Code code, String saying) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(saying);
        });
    }

    private Side side(String project) {
        IndexTestData data = new IndexTestData(dataSource);
        data.execute("INSERT INTO project (name) VALUES (?)", project);
        long experiment;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO experiment (project_id, name) SELECT id, ? FROM project WHERE name = ? RETURNING id")) {
            ps.setString(1, project + "-exp");
            ps.setString(2, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                experiment = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        long run = data.run(experiment, "run");
        data.scalarSeries(run, "loss", new double[] {3, 2, 1}, 1000);
        return new Side(project, experiment, run);
    }
}
