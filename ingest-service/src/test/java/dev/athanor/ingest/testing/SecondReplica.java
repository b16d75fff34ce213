package dev.athanor.ingest.testing;

import dev.athanor.ingest.assets.AssetService;
import dev.athanor.ingest.assets.AssetStore;
import dev.athanor.ingest.auth.IngestAccess;
import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.flow.IndexLagGate;
import dev.athanor.ingest.forward.CallOrigin;
import dev.athanor.ingest.forward.CallOriginInterceptor;
import dev.athanor.ingest.forward.Forwarding;
import dev.athanor.ingest.forward.PeerChannels;
import dev.athanor.ingest.grpc.IngestGrpcService;
import dev.athanor.ingest.health.DescriptorGuard;
import dev.athanor.ingest.ownership.Ownership;
import dev.athanor.ingest.ownership.PgCommitLedger;
import dev.athanor.ingest.rawlog.HotDeletedSegments;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.upload.BatchWriter;
import io.agroal.api.AgroalDataSource;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A second ingest replica in the test's JVM: the real IngestGrpcService stack (catalog, raw log
 * on its own hot root, run leases, batch writer, index-lag gate, forwarding) on its own gRPC
 * server, against the same PostgreSQL as the Quarkus replica. No indexer runs here, so its gate
 * only closes when a test {@link #stall()}s it. Every Upload call it receives is recorded.
 */
public final class SecondReplica implements AutoCloseable {

    /** One Upload call this replica received: its headers, deadline, and how it ended. */
    public record ReceivedCall(Metadata headers, Deadline deadline, CompletableFuture<String> outcome) {
        public String header(Metadata.Key<String> key) {
            return headers.get(key);
        }
    }

    private static final long STALL_BYTES = 1L << 40;
    private static final long STALL_RUN = -1;

    public final String node;
    public final String address;
    public final Path hotRoot;
    public final IndexLagGate gate;
    public final List<ReceivedCall> uploads = new CopyOnWriteArrayList<>();
    public final List<ReceivedCall> finishes = new CopyOnWriteArrayList<>();
    private final PeerChannels peers;
    private final Server server;
    private final ManagedChannel client;
    private long stalledBytes;

    /** @param flowControlWindow the HTTP/2 window of its server: how much it takes in before reading */
    public SecondReplica(AgroalDataSource dataSource, IngestConfig base, String node, Path hotRoot,
                         int flowControlWindow) throws IOException {
        this.node = node;
        this.hotRoot = hotRoot;
        int port = freePort();
        this.address = "127.0.0.1:" + port;
        IngestConfig config = replicaConfig(base, node, hotRoot, address);
        // The real commit ledger: this replica's acks and fencing go through PostgreSQL like the service's.
        RawLog rawLog = new RawLog(config, HotDeletedSegments.NONE, new PgCommitLedger(dataSource));
        CatalogStore catalog = new CatalogStore(dataSource);
        Ownership ownership = new Ownership(dataSource, rawLog, config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        this.gate = new IndexLagGate(config);
        this.peers = new PeerChannels(config);
        DescriptorGuard descriptors = new DescriptorGuard(config);
        IngestGrpcService service = new IngestGrpcService(catalog, rawLog,
                new BatchWriter(catalog, rawLog, ownership, config, meters, descriptors), gate, config,
                new AssetService(catalog, new AssetStore(dataSource), rawLog, config), new IngestAccess(catalog),
                new Forwarding(peers, rawLog, meters), ownership, descriptors);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .flowControlWindow(flowControlWindow)
                .maxInboundMessageSize(base.limits().maxMessageBytes())
                .addService(ServerInterceptors.intercept(service, new CallOriginInterceptor(), recorder()))
                .build().start();
        this.client = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    }

    /** A channel to this replica, as a client that reaches the pod directly. */
    public ManagedChannel channel() {
        return client;
    }

    /** The index lag "exceeds" its bound: this replica stops reading from upload streams. */
    public synchronized void stall() {
        stalledBytes += STALL_BYTES; // the gate counts totals: each stall reports more "durable" bytes
        gate.durable(STALL_RUN, stalledBytes);
    }

    public synchronized void resume() {
        gate.indexed(STALL_RUN, stalledBytes);
    }

    public List<ReceivedCall> forwardedUploads() {
        return uploads.stream().filter(c -> c.header(CallOrigin.FORWARDED_FROM) != null).toList();
    }

    public List<ReceivedCall> forwardedFinishes() {
        return finishes.stream().filter(c -> c.header(CallOrigin.FORWARDED_FROM) != null).toList();
    }

    /** Records each Upload and FinishRun call (ServerInterceptors applies the last one first: it sees the raw call). */
    private ServerInterceptor recorder() {
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                         ServerCallHandler<ReqT, RespT> next) {
                String method = call.getMethodDescriptor().getBareMethodName();
                List<ReceivedCall> record = switch (method) {
                    case "Upload" -> uploads;
                    case "FinishRun" -> finishes;
                    default -> null;
                };
                if (record == null) {
                    return next.startCall(call, headers);
                }
                ReceivedCall received = new ReceivedCall(headers, Context.current().getDeadline(),
                        new CompletableFuture<>());
                record.add(received);
                ServerCall<ReqT, RespT> closing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        received.outcome().complete(status.getCode().name());
                        super.close(status, trailers);
                    }
                };
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                        next.startCall(closing, headers)) {
                    @Override
                    public void onCancel() {
                        received.outcome().complete("cancelled by the caller");
                        super.onCancel();
                    }
                };
            }
        };
    }

    /** The Quarkus replica's configuration, with this replica's name, hot root and address. */
    private static IngestConfig replicaConfig(IngestConfig base, String node, Path hotRoot, String address) {
        IngestConfig.Ownership ownership = delegate(IngestConfig.Ownership.class, base.ownership(),
                name -> name.equals("advertisedAddress") ? Optional.of(address) : Optional.empty());
        return delegate(IngestConfig.class, base, name -> switch (name) {
            case "hotRoot" -> Optional.of(hotRoot);
            case "nodeName" -> Optional.of(Optional.of(node));
            case "ownership" -> Optional.of(ownership);
            default -> Optional.empty();
        });
    }

    private static <T> T delegate(Class<T> type, T base, java.util.function.Function<String, Optional<Object>> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Optional<Object> override = overrides.apply(method.getName());
            if (override.isPresent() && method.getParameterCount() == 0) {
                return override.get();
            }
            try {
                return method.invoke(base, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops serving. Its run leases stay renewed by their keeper thread until the JVM ends
     * (Ownership is released only by the service's shutdown event); tests use runs of their own.
     */
    @Override
    public void close() throws InterruptedException {
        client.shutdownNow();
        server.shutdownNow().awaitTermination();
        peers.close();
    }
}
