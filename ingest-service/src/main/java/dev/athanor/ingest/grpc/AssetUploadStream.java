package dev.athanor.ingest.grpc;

import dev.athanor.ingest.assets.AssetService;
import dev.athanor.ingest.assets.AssetUpload;
import dev.athanor.proto.ingest.v1.AssetChunk;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.UploadAssetRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import org.jboss.logging.Logger;

/**
 * One UploadAsset call, handled on its own virtual thread (it writes a file and may need
 * PostgreSQL). Flow control is manual, one message at a time: the server asks for the next chunk
 * only when the previous one is written, so a stream holds at most one chunk in memory.
 */
final class AssetUploadStream implements StreamObserver<UploadAssetRequest> {

    private static final Logger LOG = Logger.getLogger(AssetUploadStream.class);
    // Distinct markers in the queue (compared by identity; their content only tells them apart in a debugger).
    private static final UploadAssetRequest CANCELLED = UploadAssetRequest.newBuilder()
            .setChunk(AssetChunk.newBuilder().setOffset(-1)).build();
    private static final UploadAssetRequest COMPLETED = UploadAssetRequest.newBuilder()
            .setChunk(AssetChunk.newBuilder().setOffset(-2)).build();

    private final ServerCallStreamObserver<AssetState> response;
    private final AssetService assets;
    private final UploadPermissions permissions;
    private final LinkedBlockingQueue<UploadAssetRequest> queue = new LinkedBlockingQueue<>();

    AssetUploadStream(ServerCallStreamObserver<AssetState> response, AssetService assets,
                      UploadPermissions permissions) {
        this.response = response;
        this.permissions = permissions;
        this.assets = assets;
        response.disableAutoRequest();
        response.setOnCancelHandler(() -> queue.add(CANCELLED));
        Thread.ofVirtual().name("athanor-asset-upload").start(this::run);
        response.request(1);
    }

    @Override
    public void onNext(UploadAssetRequest request) {
        queue.add(request);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(CANCELLED);
    }

    @Override
    public void onCompleted() {
        queue.add(COMPLETED);
    }

    private void run() {
        AssetUpload upload = null;
        try {
            UploadAssetRequest first = queue.take();
            if (first == CANCELLED) {
                return;
            }
            if (first == COMPLETED || !first.hasHeader()) {
                fail(Status.INVALID_ARGUMENT.withDescription(
                        "request: the first message of UploadAsset must be an AssetHeader").asRuntimeException());
                return;
            }
            permissions.checkAsset(first.getHeader());
            upload = assets.begin(first.getHeader());
            response.request(1);
            while (true) {
                UploadAssetRequest next = queue.take();
                if (next == CANCELLED) {
                    return;
                }
                if (next == COMPLETED) {
                    AssetState done = IngestGrpcService.toProto(upload.finish());
                    response.onNext(done);
                    response.onCompleted();
                    return;
                }
                if (!next.hasChunk()) {
                    fail(Status.INVALID_ARGUMENT.withDescription(
                            "request: after the header, UploadAsset takes only chunks").asRuntimeException());
                    return;
                }
                upload.write(next.getChunk());
                response.request(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            StatusRuntimeException status = GrpcErrors.toStatus(e);
            String path = upload != null ? "asset '" + upload.key().path() + "': " : "";
            fail(Status.fromCode(status.getStatus().getCode())
                    .withDescription(path + status.getStatus().getDescription()).asRuntimeException());
        } finally {
            if (upload != null) {
                upload.close();
            }
        }
    }

    private void fail(StatusRuntimeException status) {
        try {
            response.onError(status);
        } catch (RuntimeException e) {
            LOG.debugf("asset upload error not delivered: %s", e.getMessage());
        }
    }
}
