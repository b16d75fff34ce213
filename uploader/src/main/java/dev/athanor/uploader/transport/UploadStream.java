package dev.athanor.uploader.transport;

import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One Upload call: batches out, acknowledgements in. Callbacks arrive on gRPC threads; the
 * listener hands them to the upload loop. Sends respect transport flow control through
 * {@link #isReady()}.
 */
public final class UploadStream {

    /** Callbacks of one stream; each arrives on a gRPC thread. */
    public interface Listener {
        void onAck(BatchAck ack);

        /** The transport can take more messages. */
        void onReady();

        /** The stream ended: {@code status} is OK when the server completed it. */
        void onClosed(Status status);
    }

    private ClientCallStreamObserver<UploadRequest> requests;

    UploadStream() {
    }

    ClientResponseObserver<UploadRequest, UploadResponse> observer(Listener listener) {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<UploadRequest> requestStream) {
                requests = requestStream;
                requestStream.setOnReadyHandler(listener::onReady);
            }

            @Override
            public void onNext(UploadResponse response) {
                if (response.hasAck()) {
                    listener.onAck(response.getAck());
                }
            }

            @Override
            public void onError(Throwable t) {
                listener.onClosed(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                listener.onClosed(Status.OK);
            }
        };
    }

    public boolean isReady() {
        return requests.isReady();
    }

    public void send(RecordBatch batch) {
        requests.onNext(UploadRequest.newBuilder().setBatch(batch).build());
    }

    /** No more batches; the server completes the stream after its last acknowledgement. */
    public void halfClose() {
        requests.onCompleted();
    }

    public void cancel(String why) {
        requests.cancel(why, null);
    }
}
