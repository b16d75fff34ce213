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
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingest API as the uploader uses it: one channel, unary calls with a deadline, and Upload
 * streams. Calls throw {@link io.grpc.StatusRuntimeException}; deciding what to retry is the caller's.
 */
public final class IngestClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final IngestServiceGrpc.IngestServiceBlockingStub blocking;
    private final IngestServiceGrpc.IngestServiceStub async;
    private final Duration rpcTimeout;

    private IngestClient(ManagedChannel channel, BearerCredentials credentials, Duration rpcTimeout) {
        this.channel = channel;
        this.blocking = IngestServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
        this.async = IngestServiceGrpc.newStub(channel).withCallCredentials(credentials);
        this.rpcTimeout = rpcTimeout;
    }

    /** Builds the channel (it connects lazily, on the first call). */
    public static IngestClient open(Endpoint endpoint, boolean tls, Path tlsCaFile, TokenSource token,
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
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(), channelCredentials)
                .userAgent(userAgent)
                .build();
        return new IngestClient(channel, new BearerCredentials(token), rpcTimeout);
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

    /** Committed offset per file of every run of the experiment, keyed by {@code runPath + '\0' + fileName}. */
    public Map<String, Long> committedOffsets(String experimentId) {
        Map<String, Long> offsets = new HashMap<>();
        for (FileOffset offset : deadline().getCommittedOffsets(
                GetCommittedOffsetsRequest.newBuilder().setExperimentId(experimentId).build()).getOffsetsList()) {
            offsets.merge(offset.getRunPath() + '\0' + offset.getFileName(), offset.getCommittedOffset(), Math::max);
        }
        return offsets;
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
        channel.resetConnectBackoff();
    }

    /** Cuts every call at once (abort, or the end of a failed upload). */
    public void shutdownNow() {
        channel.shutdownNow();
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private IngestServiceGrpc.IngestServiceBlockingStub deadline() {
        return blocking.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
