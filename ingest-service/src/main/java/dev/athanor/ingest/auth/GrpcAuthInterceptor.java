package dev.athanor.ingest.auth;

import dev.athanor.auth.Access;
import dev.athanor.auth.AccessCheck;
import dev.athanor.auth.AccessRule;
import dev.athanor.auth.AccessRules;
import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.Caller;
import dev.athanor.auth.TokenGate;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.concurrent.CompletableFuture;

/**
 * The auth edge of every gRPC call, before any service code runs: the method's rule in
 * {@link IngestAccessRules} (none: PERMISSION_DENIED for everyone), then the {@code authorization:
 * Bearer …} metadata (UNAUTHENTICATED with what was wrong), then the rule
 * ({@link AccessCheck#decideCall}); the verified {@link Caller} goes into the call's context
 * ({@link GrpcCaller}). The project role of a project rule is checked by the service on the project
 * the request names ({@link IngestAccess}).
 *
 * <p>Ingest keeps its separate gRPC server (port 9090), where Quarkus' HTTP authentication does not
 * apply; quarkus-oidc verifies the token through {@link TenantIdentityProvider} (signature against
 * the realm's JWKS, issuer, audience, expiry) — the same verification as on HTTP. It normally
 * completes at once from cached keys; when the realm's keys must be fetched first, the call's
 * events are held ({@link DeferredListener}) and the call starts on its own event loop afterwards.
 */
@GlobalInterceptor
@ApplicationScoped
public class GrpcAuthInterceptor implements ServerInterceptor, Prioritized {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AuthSettings settings;
    private final TokenGate gate;
    private final TenantIdentityProvider identities;

    public GrpcAuthInterceptor(AuthSettings settings, TokenGate gate, TenantIdentityProvider identities) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
    }

    @Override
    public int getPriority() {
        // Before Quarkus' own interceptors (blocking dispatch captures the context this one sets).
        return Integer.MAX_VALUE - 10;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        AccessRule rule = IngestAccessRules.TABLE.find(method).orElse(null);
        if (rule == null) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(AccessRules.noRuleMessage(method)));
        }
        if (rule.access() == Access.PUBLIC) {
            return next.startCall(call, headers);
        }
        if (!settings.enabled()) {
            return start(Caller.LOCAL, call, headers, next);
        }
        CompletableFuture<TokenGate.Result> verdict = gate.authenticate(headers.get(AUTHORIZATION),
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
        return start(result.caller(), call, headers, next);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> start(Caller caller, ServerCall<ReqT, RespT> call,
                                                                 Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        GrpcCaller.bindToVertxContext(caller);
        return Contexts.interceptCall(Context.current().withValue(GrpcCaller.KEY, caller), call, headers, next);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Status status) {
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER), "Bearer realm=\"athanor\"");
        call.close(status, trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
