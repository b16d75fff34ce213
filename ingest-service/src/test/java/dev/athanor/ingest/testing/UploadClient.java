package dev.athanor.ingest.testing;

import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real gRPC Upload stream driven from a test: send batches, collect acks, see how it ended. */
public final class UploadClient implements StreamObserver<UploadResponse> {

    public final List<BatchAck> acks = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Status> done = new CompletableFuture<>();
    /** The trailers of a failed stream (empty when it ended OK or had none). */
    public volatile Metadata trailers = new Metadata();
    private final StreamObserver<UploadRequest> requests;

    public UploadClient(IngestServiceGrpc.IngestServiceStub stub) {
        this.requests = stub.upload(this);
    }

    public UploadClient send(RecordBatch batch) {
        requests.onNext(UploadRequest.newBuilder().setBatch(batch).build());
        return this;
    }

    public UploadClient sendAll(List<RecordBatch> batches) {
        batches.forEach(this::send);
        return this;
    }

    public void complete() {
        requests.onCompleted();
    }

    public void cancel() {
        requests.onError(Status.CANCELLED.withDescription("client gone").asRuntimeException());
    }

    /** Completes the stream and waits for the server to finish it; returns the final status. */
    public Status finish() throws Exception {
        complete();
        return done.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(UploadResponse value) {
        acks.add(value.getAck());
    }

    @Override
    public void onError(Throwable t) {
        Metadata sent = Status.trailersFromThrowable(t);
        if (sent != null) {
            trailers = sent;
        }
        done.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        done.complete(Status.OK);
    }
}
