package dev.athanor.ingest.forward;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

/**
 * Puts each call's {@link CallOrigin} in its gRPC context: service code never sees the headers,
 * and a forwarded Upload needs the caller's authorization and the forwarded-from marker.
 */
@GlobalInterceptor
@ApplicationScoped
public class CallOriginInterceptor implements ServerInterceptor, Prioritized {

    @Override
    public int getPriority() {
        // Inside GrpcAuthInterceptor (Integer.MAX_VALUE - 10), which may resume a call later on
        // another context: this one then still runs within the context auth set.
        return Integer.MAX_VALUE - 20;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        return Contexts.interceptCall(Context.current().withValue(CallOrigin.KEY, CallOrigin.of(headers)), call,
                headers, next);
    }
}
