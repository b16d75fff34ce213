package dev.athanor.query.common.auth;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

/**
 * Keeps a gRPC call's {@code authorization} metadata for {@link GrpcCallAuthenticator}, which
 * verifies it on the call's worker thread. Kept in the call's duplicated Vert.x context: a
 * {@code @Blocking} method always runs on it, whereas the gRPC {@code Context} it sees may have
 * been captured before this interceptor ran.
 */
@ApplicationScoped
public class GrpcAuthorizationCapture implements ServerInterceptor, Prioritized {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String LOCAL = "athanor-grpc-authorization";
    /** Marks "no metadata value" apart from "never captured" (which fails closed). */
    private static final String ABSENT = "";

    @Override
    public int getPriority() {
        // Before Quarkus' own interceptors hand the call to a worker.
        return Integer.MAX_VALUE - 10;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        Context context = Vertx.currentContext();
        if (context != null && VertxContext.isDuplicatedContext(context)) {
            String value = headers.get(AUTHORIZATION);
            context.putLocal(LOCAL, value == null ? ABSENT : value);
        }
        return next.startCall(call, headers);
    }

    /**
     * The current call's authorization value: null when it sent none, and when nothing was
     * captured (not on a call's context) — then the caller is refused, never let through.
     */
    static String current() {
        Context context = Vertx.currentContext();
        String value = context != null && VertxContext.isDuplicatedContext(context) ? context.getLocal(LOCAL) : null;
        return value == null || value.equals(ABSENT) ? null : value;
    }
}
