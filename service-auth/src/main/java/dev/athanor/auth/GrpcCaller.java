package dev.athanor.auth;

import io.grpc.Context;
import io.quarkus.arc.Arc;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;

/**
 * The verified caller of the current gRPC call, set by {@link GrpcAccessEdge} in the call's gRPC
 * {@link Context} and in its Vert.x duplicated context. Both: @Blocking methods run on a worker that
 * sometimes carries the gRPC context Quarkus captured before the edge ran, but always the call's
 * duplicated Vert.x context.
 */
public final class GrpcCaller {

    /**
     * @param authorization the call's verified authorization value, to forward on the caller's behalf
     *                      (null with auth off)
     */
    record Verified(Caller caller, String authorization) {
    }

    static final Context.Key<Verified> KEY = Context.key("athanor-caller");
    private static final String LOCAL = "athanor-caller";

    private GrpcCaller() {
    }

    static void bindToVertxContext(Verified verified) {
        io.vertx.core.Context context = Vertx.currentContext();
        if (context != null && VertxContext.isDuplicatedContext(context)) {
            context.putLocal(LOCAL, verified);
        }
    }

    /**
     * The caller. Read it on the call's thread: the Upload stream handles batches on its own thread.
     * Not found (should not happen): auth off stays the local user, auth on fails closed.
     */
    public static Caller current() {
        Verified verified = verified();
        if (verified != null) {
            return verified.caller();
        }
        return Arc.container().instance(AuthConfig.class).get().enabled()
                ? new Caller("-", "-", "-", ProjectGrants.none()) : Caller.LOCAL;
    }

    /** The verified authorization value of the call (null with auth off, or when none was verified). */
    public static String authorization() {
        Verified verified = verified();
        return verified == null ? null : verified.authorization();
    }

    private static Verified verified() {
        Verified verified = KEY.get();
        if (verified == null) {
            io.vertx.core.Context context = Vertx.currentContext();
            verified = context != null && VertxContext.isDuplicatedContext(context) ? context.getLocal(LOCAL) : null;
        }
        return verified;
    }
}
