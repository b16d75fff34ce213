package dev.athanor.ingest.grpc;

import io.grpc.stub.StreamObserver;

/** The request side of a stream already answered with an error: whatever the client still sends is dropped. */
final class DiscardingObserver<T> implements StreamObserver<T> {

    @Override
    public void onNext(T value) {
    }

    @Override
    public void onError(Throwable t) {
    }

    @Override
    public void onCompleted() {
    }
}
