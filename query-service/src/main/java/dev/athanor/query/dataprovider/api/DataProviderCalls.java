package dev.athanor.query.dataprovider.api;

import com.google.protobuf.Message;
import dev.athanor.query.common.auth.DataProviderCaller;
import dev.athanor.query.config.QueryConfig;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every data-provider call does around its answer: take the caller the gRPC edge verified
 * ({@link DataProviderCaller}), refuse an answer
 * larger than the configured bound (RESOURCE_EXHAUSTED rather than a truncated one), and turn
 * failures into the gRPC status REST's answer corresponds to.
 */
@ApplicationScoped
class DataProviderCalls {

    private final DataProviderCaller caller;
    private final int maxResponseBytes;

    DataProviderCalls(DataProviderCaller caller, QueryConfig config) {
        this.caller = caller;
        this.maxResponseBytes = config.dataProvider().maxResponseBytes();
    }

    <T extends Message> void unary(String method, StreamObserver<T> out, Supplier<T> answer) {
        T response;
        try {
            caller.adopt();
            response = answer.get();
            int size = response.getSerializedSize();
            if (size > maxResponseBytes) {
                throw Status.RESOURCE_EXHAUSTED.withDescription(method + " would answer " + size + " bytes, over the "
                        + maxResponseBytes + "-byte limit (athanor.query.data-provider.max-response-bytes): ask for"
                        + " fewer points (downsample.num_points), runs or tags").asRuntimeException();
            }
        } catch (RuntimeException e) {
            out.onError(GrpcStatuses.of(method, e));
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    /** A server-streaming answer: {@code stream} sends its messages to the consumer it is given. */
    <T extends Message> void streaming(String method, StreamObserver<T> out, Consumer<Consumer<T>> stream) {
        try {
            caller.adopt();
            stream.accept(out::onNext);
        } catch (RuntimeException e) {
            out.onError(GrpcStatuses.of(method, e));
            return;
        }
        out.onCompleted();
    }
}
