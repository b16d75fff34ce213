package dev.athanor.uploader.testing;

import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.Compatibility;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.Experiment;
import dev.athanor.proto.ingest.v1.FileOffset;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsResponse;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.Run;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import dev.athanor.proto.ingest.v1.ServerInfoResponse;
import dev.athanor.proto.ingest.v1.UploadLimits;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import dev.athanor.wire.WireNames;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A minimal ingest service over real gRPC (Netty, loopback) that implements the contract's
 * semantics on an {@link IngestStore}, with faults to inject: failing calls, streams dropped in
 * the middle of a batch (after part of it became durable), acknowledgements that never come,
 * slow acknowledgements, and a required bearer token. {@link #restart()} keeps the store.
 */
public final class FakeIngestServer implements AutoCloseable {

    /** Streams cut on purpose make Netty log stream errors; kept referenced so the level sticks. */
    private static final java.util.logging.Logger NETTY_LOG =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty");

    static {
        NETTY_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final IngestStore store;
    private volatile UploadLimits limits = UploadLimits.newBuilder()
            .setMaxMessageBytes(4 << 20).setMaxRecordBytes(1 << 20).setMaxBatchBytes(64 << 10)
            .setMaxInflightBatches(8).build();
    private volatile Predicate<String> acceptedTokens;
    private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNextCalls = new AtomicInteger();
    private volatile Status failStatus = Status.UNAVAILABLE.withDescription("injected outage");
    private final AtomicInteger dropStreamAfterBatches = new AtomicInteger(-1);
    private volatile boolean swallowAcks;
    private volatile Predicate<String> refusedRunPaths = path -> false;
    private volatile long ackDelayMillis;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicLong maxBatchPayloadBytes = new AtomicLong();
    private final AtomicInteger maxInflightSeen = new AtomicInteger();
    private final AtomicInteger streamsDropped = new AtomicInteger();
    private final ScheduledExecutorService ackScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-ingest-acks");
        t.setDaemon(true);
        return t;
    });
    private Server server;

    public FakeIngestServer(IngestStore store) {
        this.store = store;
    }

    public FakeIngestServer() {
        this(new IngestStore());
    }

    public FakeIngestServer start() throws IOException {
        return start(0);
    }

    /** Starts listening on a given loopback port (0: any free one). */
    public FakeIngestServer start(int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(ServerInterceptors.intercept(new Service(), new Faults()))
                .build()
                .start();
        return this;
    }

    /** Stops (cutting every stream) and starts again on a new port with the same store. */
    public FakeIngestServer restart() throws IOException, InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        return start();
    }

    public int port() {
        return server.getPort();
    }

    public String endpoint() {
        return "127.0.0.1:" + port();
    }

    public IngestStore store() {
        return store;
    }

    public FakeIngestServer limits(UploadLimits value) {
        limits = value;
        return this;
    }

    public FakeIngestServer requireToken(String token) {
        return acceptTokens(token::equals);
    }

    /** Calls whose bearer token does not pass {@code accepts} fail with UNAUTHENTICATED. */
    public FakeIngestServer acceptTokens(Predicate<String> accepts) {
        acceptedTokens = accepts;
        return this;
    }

    /** The distinct bearer tokens calls came with, in the order first seen. */
    public List<String> tokensSeen() {
        return List.copyOf(tokensSeen);
    }

    /** The next {@code n} calls (of any method) fail with {@code status}. */
    public void failNextCalls(int n, Status status) {
        failStatus = status;
        failNextCalls.set(n);
    }

    /**
     * After {@code n} more batches, the next batch is half written (durable, not acknowledged) and
     * its stream fails with UNAVAILABLE.
     */
    public void dropStreamAfterBatches(int n) {
        dropStreamAfterBatches.set(n);
    }

    /** Refuses to create these runs, as a server with stricter name rules than the uploader's would. */
    public FakeIngestServer refuseRuns(Predicate<String> runPaths) {
        this.refusedRunPaths = runPaths;
        return this;
    }

    public void swallowAcks(boolean value) {
        swallowAcks = value;
    }

    public void ackDelayMillis(long value) {
        ackDelayMillis = value;
    }

    public int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public long maxBatchPayloadBytes() {
        return maxBatchPayloadBytes.get();
    }

    public int maxInflightSeen() {
        return maxInflightSeen.get();
    }

    public int streamsDropped() {
        return streamsDropped.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        ackScheduler.shutdownNow();
    }

    private final class Faults implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String method = call.getMethodDescriptor().getBareMethodName();
            calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            String header = headers.get(AUTHORIZATION);
            String bearer = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
            if (bearer != null) {
                synchronized (tokensSeen) {
                    if (!tokensSeen.contains(bearer)) {
                        tokensSeen.add(bearer);
                    }
                }
            }
            Predicate<String> accepts = acceptedTokens;
            if (accepts != null && (bearer == null || !accepts.test(bearer))) {
                call.close(Status.UNAUTHENTICATED.withDescription("invalid bearer token"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            if (failNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                call.close(failStatus, new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private final class Service extends IngestServiceGrpc.IngestServiceImplBase {

        @Override
        public void getServerInfo(ServerInfoRequest request, StreamObserver<ServerInfoResponse> out) {
            out.onNext(ServerInfoResponse.newBuilder().setServerVersion("fake-ingest/1").setLimits(limits)
                    .setCompatibility(Compatibility.newBuilder().setVerdict(Compatibility.Verdict.VERDICT_OK))
                    .build());
            out.onCompleted();
        }

        @Override
        public void createExperiment(CreateExperimentRequest request, StreamObserver<Experiment> out) {
            String id = store.createExperiment(request.getProject(), request.getName());
            out.onNext(Experiment.newBuilder().setExperimentId(id).setProject(request.getProject())
                    .setName(request.getName()).build());
            out.onCompleted();
        }

        @Override
        public void createRun(CreateRunRequest request, StreamObserver<Run> out) {
            if (!store.experimentExists(request.getExperimentId())) {
                out.onError(Status.NOT_FOUND.withDescription("no experiment " + request.getExperimentId())
                        .asRuntimeException());
                return;
            }
            // The same name rules as ingest's, so a name the uploader failed to check fails here as it would there.
            String problem = WireNames.runPathProblem(request.getPath());
            if (problem == null && refusedRunPaths.test(request.getPath())) {
                problem = "run path '" + request.getPath() + "' is not accepted by this server";
            }
            if (problem != null) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("path: " + problem).asRuntimeException());
                return;
            }
            store.createRun(request.getExperimentId(), request.getPath());
            out.onNext(Run.newBuilder().setExperimentId(request.getExperimentId()).setPath(request.getPath())
                    .setStatus(RunStatus.RUN_STATUS_RUNNING).build());
            out.onCompleted();
        }

        @Override
        public void getCommittedOffsets(GetCommittedOffsetsRequest request,
                StreamObserver<GetCommittedOffsetsResponse> out) {
            GetCommittedOffsetsResponse.Builder response = GetCommittedOffsetsResponse.newBuilder();
            for (IngestStore.Committed c : store.committed(request.getExperimentId(), request.getRunPath())) {
                FileOffset.Builder offset = FileOffset.newBuilder().setRunPath(c.runPath()).setFileName(c.fileName())
                        .setCommittedOffset(c.offset());
                if (c.head() != null) {
                    offset.setHeadCrc(c.head());
                }
                response.addOffsets(offset);
            }
            out.onNext(response.build());
            out.onCompleted();
        }

        @Override
        public void finishRun(FinishRunRequest request, StreamObserver<Run> out) {
            if (!store.runExists(request.getExperimentId(), request.getRunPath())) {
                out.onError(Status.NOT_FOUND.withDescription("no run " + request.getRunPath()).asRuntimeException());
                return;
            }
            store.finishRun(request.getExperimentId(), request.getRunPath(), request.getStatus());
            out.onNext(Run.newBuilder().setPath(request.getRunPath()).setStatus(request.getStatus()).build());
            out.onCompleted();
        }

        @Override
        public StreamObserver<UploadRequest> upload(StreamObserver<UploadResponse> responses) {
            ServerCallStreamObserver<UploadResponse> out = (ServerCallStreamObserver<UploadResponse>) responses;
            AtomicInteger outstanding = new AtomicInteger();
            return new StreamObserver<>() {
                private boolean dead;

                @Override
                public void onNext(UploadRequest request) {
                    if (dead || !request.hasBatch()) {
                        return;
                    }
                    RecordBatch batch = request.getBatch();
                    maxInflightSeen.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                    long payload = batch.getRecordsList().stream().mapToLong(b -> b.size()).sum();
                    maxBatchPayloadBytes.accumulateAndGet(payload, Math::max);
                    if (!store.runExists(batch.getExperimentId(), batch.getRunPath())) {
                        dead = true;
                        out.onError(IngestStore.missingRun(batch).asRuntimeException());
                        return;
                    }
                    if (dropStreamAfterBatches.getAndUpdate(n -> n < 0 ? n : n - 1) == 0) {
                        store.append(batch, batch.getRecordsCount() / 2);
                        dead = true;
                        streamsDropped.incrementAndGet();
                        out.onError(Status.UNAVAILABLE.withDescription("injected: stream dropped mid-batch")
                                .asRuntimeException());
                        return;
                    }
                    IngestStore.Appended appended = store.append(batch, -1);
                    if (swallowAcks) {
                        return;
                    }
                    UploadResponse ack = UploadResponse.newBuilder().setAck(BatchAck.newBuilder()
                            .setBatchId(batch.getBatchId()).setRunPath(batch.getRunPath())
                            .setFileName(batch.getFileName()).setCommittedOffset(appended.committedOffset())
                            .setRecordsAccepted(appended.accepted()).setRecordsDuplicate(appended.duplicate()))
                            .build();
                    Runnable send = () -> {
                        synchronized (out) {
                            if (!out.isCancelled()) {
                                outstanding.decrementAndGet();
                                try {
                                    out.onNext(ack);
                                } catch (RuntimeException closed) {
                                    // The stream ended meanwhile; the client re-reads committed offsets.
                                }
                            }
                        }
                    };
                    long delay = ackDelayMillis;
                    if (delay > 0) {
                        ackScheduler.schedule(send, delay, TimeUnit.MILLISECONDS);
                    } else {
                        send.run();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    dead = true;
                }

                @Override
                public void onCompleted() {
                    if (dead) {
                        return;
                    }
                    long delay = ackDelayMillis;
                    Runnable complete = () -> {
                        synchronized (out) {
                            if (!out.isCancelled()) {
                                out.onCompleted();
                            }
                        }
                    };
                    if (delay > 0) {
                        ackScheduler.schedule(complete, delay + 1, TimeUnit.MILLISECONDS);
                    } else {
                        complete.run();
                    }
                }
            };
        }
    }
}
