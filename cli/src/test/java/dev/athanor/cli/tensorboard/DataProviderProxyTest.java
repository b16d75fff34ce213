package dev.athanor.cli.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.GetExperimentResponse;
import dev.athanor.proto.tensorboard.data.ListRunsRequest;
import dev.athanor.proto.tensorboard.data.ListRunsResponse;
import dev.athanor.proto.tensorboard.data.ReadBlobRequest;
import dev.athanor.proto.tensorboard.data.ReadBlobResponse;
import dev.athanor.proto.tensorboard.data.Run;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy between stock TensorBoard and query-service, against an upstream that records what
 * reached it: the experiment is pinned, other experiments never leave the proxy, every call carries
 * the token of that moment, ReadBlob streams through, and refusals reach TensorBoard as they came
 * while the user reads them once, in plain words.
 */
class DataProviderProxyTest {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** What the upstream saw: "method experiment_id authorization". */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final StringWriter log = new StringWriter();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private Server upstream;
    private DataProviderProxy proxy;
    private ManagedChannel tensorBoard;

    private final class RecordingUpstream extends TensorBoardDataProviderGrpc.TensorBoardDataProviderImplBase {

        @Override
        public void getExperiment(GetExperimentRequest request, StreamObserver<GetExperimentResponse> responses) {
            seen.add("GetExperiment " + request.getExperimentId() + " " + CURRENT_AUTHORIZATION.get());
            if (request.getExperimentId().equals("13")) {
                responses.onError(Status.PERMISSION_DENIED.withDescription("not a reader of project other")
                        .asRuntimeException());
                return;
            }
            responses.onNext(GetExperimentResponse.newBuilder().setName("exp " + request.getExperimentId()).build());
            responses.onCompleted();
        }

        @Override
        public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> responses) {
            seen.add("ListRuns " + request.getExperimentId() + " " + CURRENT_AUTHORIZATION.get());
            responses.onNext(ListRunsResponse.newBuilder().addRuns(Run.newBuilder().setName("train")).build());
            responses.onCompleted();
        }

        @Override
        public void readBlob(ReadBlobRequest request, StreamObserver<ReadBlobResponse> responses) {
            seen.add("ReadBlob " + request.getBlobKey() + " " + CURRENT_AUTHORIZATION.get());
            for (int chunk = 0; chunk < 3; chunk++) {
                responses.onNext(ReadBlobResponse.newBuilder()
                        .setData(ByteString.copyFrom(new byte[] {(byte) chunk, (byte) (chunk + 10)})).build());
            }
            responses.onCompleted();
        }
    }

    private static final io.grpc.Context.Key<String> CURRENT_AUTHORIZATION = io.grpc.Context.key("authorization");

    @BeforeEach
    void start() throws Exception {
        ServerInterceptor recordAuthorization = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                                                                      io.grpc.ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(io.grpc.Context.current().withValue(CURRENT_AUTHORIZATION,
                        String.valueOf(headers.get(AUTHORIZATION))), call, headers, next);
            }
        };
        upstream = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(new RecordingUpstream(), recordAuthorization)).build().start();
    }

    private void startProxy(Supplier<Optional<String>> tokens) throws Exception {
        startProxy("7", upstream.getPort(), tokens);
    }

    private void startProxy(String experimentId, int upstreamPort, Supplier<Optional<String>> tokens) throws Exception {
        DataProviderAddress address = new DataProviderAddress("127.0.0.1:" + upstreamPort, false);
        proxy = DataProviderProxy.start(address, new ExperimentScope(experimentId, "'mnist' (id " + experimentId
                + ", project default)"), tokens, new ServerFailureLog(new PrintWriter(log, true), address.target(),
                "http://127.0.0.1:8080"));
        tensorBoard = ManagedChannelBuilder.forTarget(proxy.address()).usePlaintext().build();
    }

    private TensorBoardDataProviderGrpc.TensorBoardDataProviderBlockingStub stub() {
        return TensorBoardDataProviderGrpc.newBlockingStub(tensorBoard);
    }

    @AfterEach
    void stop() {
        if (tensorBoard != null) {
            tensorBoard.shutdownNow();
        }
        if (proxy != null) {
            proxy.close();
        }
        upstream.shutdownNow();
    }

    @Test
    void tensorBoardsDefaultExperimentBecomesTheChosenOneWithAFreshTokenPerCall() throws Exception {
        startProxy(() -> Optional.of("token-" + tokenCalls.incrementAndGet()));

        assertThat(proxy.address()).startsWith("127.0.0.1:");
        assertThat(stub().getExperiment(GetExperimentRequest.getDefaultInstance()).getName()).isEqualTo("exp 7");
        assertThat(stub().listRuns(ListRunsRequest.newBuilder().setExperimentId("7").build()).getRunsList())
                .extracting(Run::getName).containsExactly("train");

        assertThat(seen).containsExactly("GetExperiment 7 Bearer token-1", "ListRuns 7 Bearer token-2");
    }

    @Test
    void anotherExperimentIsRefusedWithoutReachingTheServer() throws Exception {
        startProxy(() -> Optional.of("t"));

        assertThatThrownBy(() -> stub().listRuns(ListRunsRequest.newBuilder().setExperimentId("13").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("'mnist' (id 7, project default) only")
                            .contains("'13'");
                });
        assertThat(seen).isEmpty();
    }

    @Test
    void readBlobStreamsThroughWithItsKeyUntouched() throws Exception {
        startProxy(() -> Optional.of("t"));

        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        stub().readBlob(ReadBlobRequest.newBuilder().setBlobKey("opaque/key=1").build())
                .forEachRemaining(chunk -> blob.writeBytes(chunk.getData().toByteArray()));

        assertThat(blob.toByteArray()).containsExactly(0, 10, 1, 11, 2, 12);
        assertThat(seen).containsExactly("ReadBlob opaque/key=1 Bearer t");
    }

    @Test
    void withoutATokenNothingIsAdded() throws Exception {
        startProxy(Optional::empty);

        stub().getExperiment(GetExperimentRequest.getDefaultInstance());

        assertThat(seen).containsExactly("GetExperiment 7 null");
    }

    @Test
    void aLoginThatEndedIsUnauthenticatedAndSaidOnce() throws Exception {
        startProxy(() -> {
            throw new ClientFailure(ClientFailure.Kind.UNAUTHORIZED, "your login has ended; run: athanor login");
        });

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> stub().getExperiment(GetExperimentRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }

        assertThat(seen).isEmpty();
        assertThat(log.toString().lines()).singleElement().asString()
                .contains("UNAUTHENTICATED").contains("your login has ended").contains("athanor login --server");
    }

    @Test
    void theServersRefusalReachesTensorBoardAsItCameAndTheUserOnce() throws Exception {
        startProxy("13", upstream.getPort(), () -> Optional.of("t"));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> stub().getExperiment(GetExperimentRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).isEqualTo("not a reader of project other");
                    });
        }

        assertThat(log.toString().lines()).singleElement().asString()
                .isEqualTo("athanor tensorboard: you may not read this (PERMISSION_DENIED: not a reader of project "
                        + "other); a reader role in the experiment's project is needed");
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int port = upstream.getPort();
        upstream.shutdownNow().awaitTermination();
        startProxy("7", port, Optional::empty);

        assertThatThrownBy(() -> stub().getExperiment(GetExperimentRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(log.toString()).contains("cannot reach the data provider at 127.0.0.1:" + port)
                .contains("--data-provider");
    }
}
