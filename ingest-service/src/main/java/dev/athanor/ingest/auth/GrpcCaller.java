package dev.athanor.ingest.auth;

import dev.athanor.auth.AuthConfig;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectGrants;
import io.grpc.Context;
import io.quarkus.arc.Arc;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;

/**
 * The verified caller of the current gRPC call, set by {@link GrpcAuthInterceptor} in the call's
 * gRPC {@link Context} and in its Vert.x duplicated context. Both: @Blocking methods run on a
 * worker that sometimes carries the gRPC context Quarkus captured before this interceptor ran, but
 * always the call's duplicated Vert.x context.
 */
public final class GrpcCaller {

    static final Context.Key<Caller> KEY = Context.key("athanor-caller");
    private static final String LOCAL = "athanor-caller";

    private GrpcCaller() {
    }

    static void bindToVertxContext(Caller caller) {
        io.vertx.core.Context context = Vertx.currentContext();
        if (context != null && VertxContext.isDuplicatedContext(context)) {
            context.putLocal(LOCAL, caller);
        }
    }

    /**
     * The caller. Read it on
     * the call's thread: the Upload stream handles batches on its own thread.
     */
    public static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            io.vertx.core.Context context = Vertx.currentContext();
            caller = context != null && VertxContext.isDuplicatedContext(context) ? context.getLocal(LOCAL) : null;
        }
        if (caller != null) {
            return caller;
        }
        // Not found (should not happen): auth off stays the local user, auth on fails closed.
        return Arc.container().instance(AuthConfig.class).get().enabled()
                ? new Caller("-", "-", "-", ProjectGrants.none()) : Caller.LOCAL;
    }
}
