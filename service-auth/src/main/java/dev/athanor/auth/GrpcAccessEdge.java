package dev.athanor.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.concurrent.CompletableFuture;

/**
 * The gRPC auth edge every gRPC service runs, before any service code: the method's rule in the
 * service's {@link AccessRules} (none: PERMISSION_DENIED for everyone), then the {@code authorization:
 * Bearer …} metadata (UNAUTHENTICATED with what was wrong, and a {@code www-authenticate} challenge),
 * then the rule ({@link AccessCheck#decideCall}: PERMISSION_DENIED, no challenge — RFC 6750 puts the
 * challenge on 401 only). The verified {@link Caller} and its authorization value go into the call's
 * context ({@link GrpcCaller}). An RPC names its project in the request (an experiment id), so the
 * role of a {@link Access#PROJECT} rule is checked by the service once it has read that project.
 *
 * <p>A service extends this with {@code @GlobalInterceptor @Singleton} (no client proxy: it has no no-args constructor), supplying only its rule
 * table. gRPC runs on its own server, where Quarkus' HTTP authentication does not apply;
 * quarkus-oidc verifies the token through {@link TenantIdentityProvider} (signature against the
 * realm's JWKS, issuer, audience, expiry) — the same verification as on HTTP. It normally completes at
 * once from cached keys; when the realm's keys must be fetched first, the call's events are held
 * ({@link DeferredListener}) and the call starts on its own event loop afterwards.
 */
public abstract class GrpcAccessEdge implements ServerInterceptor, Prioritized {

    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The RFC 6750 challenge, on UNAUTHENTICATED only. */
    public static final Metadata.Key<String> WWW_AUTHENTICATE = Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER);
    static final String CHALLENGE = "Bearer realm=\"athanor\"";

    private final AuthSettings settings;
    private final TokenGate gate;
    private final TenantIdentityProvider identities;

    protected GrpcAccessEdge(AuthSettings settings, TokenGate gate, TenantIdentityProvider identities) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
    }

    /** The service's rule table for its gRPC methods (full method names). */
    protected abstract AccessRules rules();

    @Override
    public int getPriority() {
        // Before Quarkus' own interceptors (blocking dispatch captures the context this one sets).
        return Integer.MAX_VALUE - 10;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        AccessRule rule = rules().find(method).orElse(null);
        if (rule == null) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(AccessRules.noRuleMessage(method)));
        }
        if (rule.access() == Access.PUBLIC) {
            return next.startCall(call, headers);
        }
        if (!settings.enabled()) {
            return start(Caller.LOCAL, null, call, headers, next);
        }
        String authorization = headers.get(AUTHORIZATION);
        CompletableFuture<TokenGate.Result> verdict = gate.authenticate(authorization,
                token -> identities.authenticate(new AccessTokenCredential(token))).subscribeAsCompletionStage();
        if (verdict.isDone()) {
            return decide(verdict.join(), rule, call, headers, next);
        }
        DeferredListener<ReqT> deferred = new DeferredListener<>();
        io.vertx.core.Context eventLoop = io.vertx.core.Vertx.currentContext();
        verdict.whenComplete((result, failure) -> {
            Runnable resume = () -> deferred.start(failure != null
                    ? refuse(call, Status.UNAUTHENTICATED.withDescription("the bearer token could not be verified"))
                    : decide(result, rule, call, headers, next));
            if (eventLoop != null) {
                eventLoop.runOnContext(v -> resume.run());
            } else {
                resume.run();
            }
        });
        return deferred;
    }

    private <ReqT, RespT> ServerCall.Listener<ReqT> decide(TokenGate.Result result, AccessRule rule,
                                                          ServerCall<ReqT, RespT> call, Metadata headers,
                                                          ServerCallHandler<ReqT, RespT> next) {
        if (!result.ok()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(result.problem()));
        }
        String action = call.getMethodDescriptor().getBareMethodName();
        if (AccessCheck.decideCall(result.caller(), rule, action) instanceof AccessCheck.Refused refused) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(refused.message()));
        }
        return start(result.caller(), headers.get(AUTHORIZATION), call, headers, next);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> start(Caller caller, String authorization,
                                                                 ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        GrpcCaller.Verified verified = new GrpcCaller.Verified(caller, authorization);
        GrpcCaller.bindToVertxContext(verified);
        return Contexts.interceptCall(Context.current().withValue(GrpcCaller.KEY, verified), call, headers, next);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Status status) {
        call.close(status, trailers(status));
        return new ServerCall.Listener<>() {
        };
    }

    /** A refusal's trailers: the bearer challenge on UNAUTHENTICATED, nothing on any other status. */
    public static Metadata trailers(Status status) {
        Metadata trailers = new Metadata();
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            trailers.put(WWW_AUTHENTICATE, CHALLENGE);
        }
        return trailers;
    }
}
