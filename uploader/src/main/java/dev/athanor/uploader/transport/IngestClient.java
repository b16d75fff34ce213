package dev.athanor.uploader.transport;

import dev.athanor.proto.ingest.v1.AssetHeader;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.GetAssetStateRequest;
import dev.athanor.proto.ingest.v1.UploadAssetRequest;
import io.grpc.stub.ClientResponseObserver;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.Experiment;
import dev.athanor.proto.ingest.v1.FileOffset;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.Run;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import dev.athanor.proto.ingest.v1.ServerInfoResponse;
import dev.athanor.uploader.tail.CommittedFile;
import dev.athanor.uploader.tail.TailedFile;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The ingest API as the uploader uses it: unary calls with a deadline, and Upload streams, over
 * one channel per address of the {@link IngestTarget} (one for a single address or a
 * {@code dns:///} name). Calls go to the current address until {@link #rotate()} moves to the
 * next: round robin per connection. Calls throw {@link io.grpc.StatusRuntimeException}; deciding
 * what to retry (and when to rotate) is the caller's.
 */
public final class IngestClient implements AutoCloseable {

    private final IngestTarget target;
    private final List<ManagedChannel> channels;
    private final BearerCredentials credentials;
    private final Duration rpcTimeout;
    private volatile int current;
    private volatile IngestServiceGrpc.IngestServiceBlockingStub blocking;
    private volatile IngestServiceGrpc.IngestServiceStub async;

    private IngestClient(IngestTarget target, List<ManagedChannel> channels, int first, BearerCredentials credentials,
            Duration rpcTimeout) {
        this.target = target;
        this.channels = List.copyOf(channels);
        this.credentials = credentials;
        this.rpcTimeout = rpcTimeout;
        use(Math.floorMod(first, channels.size()));
    }

    /**
     * Builds one channel per address of {@code target} (each connects lazily, on its first call);
     * calls go to address {@code first} until {@link #rotate()}. A {@code dns:///} target is one
     * channel with grpc-java's DNS resolver and {@code round_robin} policy.
     */
    public static IngestClient open(IngestTarget target, int first, boolean tls, Path tlsCaFile, TokenSource token,
            Duration rpcTimeout, String userAgent) throws IOException {
        ChannelCredentials channelCredentials;
        if (tls) {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (tlsCaFile != null) {
                builder.trustManager(tlsCaFile.toFile());
            }
            channelCredentials = builder.build();
        } else {
            channelCredentials = InsecureChannelCredentials.create();
        }
        List<ManagedChannel> channels = new ArrayList<>();
        if (target.dns()) {
            channels.add(Grpc.newChannelBuilder(target.dnsTarget(), channelCredentials)
                    .defaultLoadBalancingPolicy("round_robin")
                    .userAgent(userAgent)
                    .build());
        } else {
            for (Endpoint endpoint : target.endpoints()) {
                channels.add(Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(), channelCredentials)
                        .userAgent(userAgent)
                        .build());
            }
        }
        return new IngestClient(target, channels, first, new BearerCredentials(token), rpcTimeout);
    }

    /**
     * The next session's calls go to the next address of the list (no change with one address or
     * a {@code dns:///} target, whose policy already spreads calls).
     *
     * @return true when the address changed
     */
    public boolean rotate() {
        if (channels.size() == 1) {
            return false;
        }
        use((current + 1) % channels.size());
        return true;
    }

    /** Where calls go now: one address of the list, or the {@code dns:///} target. */
    public String endpoint() {
        return target.dns() ? target.toString() : target.endpoints().get(current).toString();
    }

    private synchronized void use(int index) {
        ManagedChannel channel = channels.get(index);
        this.blocking = IngestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
        this.async = IngestServiceGrpc.newStub(channel).withCallCredentials(credentials);
        this.current = index;
    }

    public ServerInfoResponse serverInfo(String clientVersion) {
        return deadline().getServerInfo(ServerInfoRequest.newBuilder().setClientVersion(clientVersion).build());
    }

    public Experiment createExperiment(String project, String name) {
        return deadline().createExperiment(
                CreateExperimentRequest.newBuilder().setProject(project).setName(name).build());
    }

    public Run createRun(String experimentId, String runPath) {
        return deadline().createRun(
                CreateRunRequest.newBuilder().setExperimentId(experimentId).setPath(runPath).build());
    }

    /**
     * CreateRun for each path, at most {@code parallel} at a time (a sweep that starts thousands of
     * runs at once would otherwise wait for each round trip in turn): the refusals by path, empty
     * when every run was created or existed.
     */
    public Map<String, StatusRuntimeException> createRuns(String experimentId, List<String> runPaths, int parallel) {
        Map<String, StatusRuntimeException> refused = new ConcurrentHashMap<>();
        Semaphore permits = new Semaphore(parallel);
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String runPath : runPaths) {
                permits.acquireUninterruptibly();
                calls.submit(() -> {
                    try {
                        createRun(experimentId, runPath);
                    } catch (StatusRuntimeException e) {
                        refused.put(runPath, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        return refused;
    }

    /** What the server holds of each file of the experiment, by {@code TailedFile.key}. */
    public Map<String, CommittedFile> committedOffsets(String experimentId) {
        Map<String, CommittedFile> files = new HashMap<>();
        for (FileOffset offset : deadline().getCommittedOffsets(
                GetCommittedOffsetsRequest.newBuilder().setExperimentId(experimentId).build()).getOffsetsList()) {
            CommittedFile file = new CommittedFile(offset.getCommittedOffset(),
                    offset.hasHeadCrc() ? OptionalInt.of(offset.getHeadCrc()) : OptionalInt.empty());
            files.merge(TailedFile.key(offset.getRunPath(), offset.getFileName()), file,
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return files;
    }

    public Run finishRun(String experimentId, String runPath, RunStatus status) {
        return deadline().finishRun(FinishRunRequest.newBuilder()
                .setExperimentId(experimentId).setRunPath(runPath).setStatus(status).build());
    }

    /** Where the server stands with an asset file (committed offset, or complete). */
    public AssetState assetState(AssetHeader header) {
        return deadline().getAssetState(GetAssetStateRequest.newBuilder().setAsset(header).build());
    }

    /** Opens an UploadAsset stream; {@code responses} gets the server's answer (or its error). */
    public void openAssetUpload(ClientResponseObserver<UploadAssetRequest, AssetState> responses) {
        async.uploadAsset(responses);
    }

    public UploadStream openUpload(UploadStream.Listener listener) {
        UploadStream stream = new UploadStream();
        async.upload(stream.observer(listener));
        return stream;
    }

    /** Lets the next call connect at once instead of waiting out the channel's own backoff. */
    public void resetConnectBackoff() {
        channels.get(current).resetConnectBackoff();
    }

    /** Cuts every call at once (abort, or the end of a failed upload). */
    public void shutdownNow() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdown);
        try {
            for (ManagedChannel channel : channels) {
                if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private IngestServiceGrpc.IngestServiceBlockingStub deadline() {
        return blocking.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
