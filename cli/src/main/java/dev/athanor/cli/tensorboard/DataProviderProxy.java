package dev.athanor.cli.tensorboard;

import com.google.protobuf.Message;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A gRPC server on 127.0.0.1 (a port the OS picks) that stock TensorBoard reads as its
 * {@code --grpc_data_provider}: every {@code TensorBoardDataProvider} call is forwarded to
 * query-service with {@code authorization: Bearer <token>} added (asked for per call, so a stored
 * login is refreshed) and the experiment pinned by {@link ExperimentScope}. Responses, ReadBlob's
 * stream and error statuses go back to TensorBoard as they came. Loopback only: whoever reaches
 * this port reads with the user's token.
 */
public final class DataProviderProxy implements AutoCloseable {

    /** As TensorBoard's own client allows (server_ingester.py): read responses can be large. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel upstream;
    private final ExperimentScope scope;
    private final Supplier<Optional<String>> tokens;
    private final ServerFailureLog failures;
    private final Server server;

    private DataProviderProxy(DataProviderAddress address, ExperimentScope scope, Supplier<Optional<String>> tokens,
                              ServerFailureLog failures) throws IOException {
        ManagedChannelBuilder<?> channel = ManagedChannelBuilder.forTarget(address.target())
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
        this.upstream = (address.tls() ? channel.useTransportSecurity() : channel.usePlaintext()).build();
        this.scope = scope;
        this.tokens = tokens;
        this.failures = failures;
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(
                TensorBoardDataProviderGrpc.getServiceDescriptor());
        for (MethodDescriptor<?, ?> method : TensorBoardDataProviderGrpc.getServiceDescriptor().getMethods()) {
            addForwarding(service, method);
        }
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(service.build()).build().start();
        } catch (IOException e) {
            upstream.shutdownNow();
            throw e;
        }
    }

    /** Starts the proxy in front of the data provider at {@code address}. */
    public static DataProviderProxy start(DataProviderAddress address, ExperimentScope scope,
                                          Supplier<Optional<String>> tokens, ServerFailureLog failures)
            throws IOException {
        return new DataProviderProxy(address, scope, tokens, failures);
    }

    /** HOST:PORT for TensorBoard's {@code --grpc_data_provider}. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    private <Q, R> void addForwarding(ServerServiceDefinition.Builder service, MethodDescriptor<Q, R> method) {
        if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
            service.addMethod(method, ServerCalls.asyncServerStreamingCall((request, responses) ->
                    forward(method, request, responses)));
        } else {
            service.addMethod(method, ServerCalls.asyncUnaryCall((request, responses) ->
                    forward(method, request, responses)));
        }
    }

    private <Q, R> void forward(MethodDescriptor<Q, R> method, Q request, StreamObserver<R> responses) {
        String name = method.getBareMethodName();
        StreamObserver<R> reporting = new StatusReporting<>(responses, status -> failures.record(name, status));
        Q pinned;
        Channel channel;
        try {
            pinned = pin(request);
            channel = withToken();
        } catch (StatusException refused) {
            reporting.onError(refused);
            return;
        }
        if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
            ClientCalls.asyncServerStreamingCall(channel.newCall(method, CallOptions.DEFAULT), pinned, reporting);
        } else {
            ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT), pinned, reporting);
        }
    }

    @SuppressWarnings("unchecked")
    private <Q> Q pin(Q request) throws StatusException {
        return (Q) scope.pin((Message) request);
    }

    /** The upstream channel with this call's bearer token; a login that has ended is UNAUTHENTICATED. */
    private Channel withToken() throws StatusException {
        Optional<String> token;
        try {
            token = tokens.get();
        } catch (ClientFailure failure) {
            throw Status.UNAUTHENTICATED.withDescription(failure.getMessage()).asException();
        }
        if (token.isEmpty()) {
            return upstream;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token.get());
        return ClientInterceptors.intercept(upstream, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Blocks until the proxy has stopped (it is stopped by {@link #close()}). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdownNow();
        upstream.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            upstream.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes everything through and reports how the call ended. */
    private record StatusReporting<R>(StreamObserver<R> delegate, java.util.function.Consumer<Status> ended)
            implements StreamObserver<R> {

        @Override
        public void onNext(R value) {
            delegate.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
            ended.accept(Status.fromThrowable(t));
            delegate.onError(t);
        }

        @Override
        public void onCompleted() {
            delegate.onCompleted();
        }
    }
}
