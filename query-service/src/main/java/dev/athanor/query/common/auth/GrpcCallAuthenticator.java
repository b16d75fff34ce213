package dev.athanor.query.common.auth;

import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.TokenGate;
import io.grpc.Metadata;
import io.grpc.Status;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Authenticates a gRPC call the way {@link AuthFilter} authenticates a REST request: the same
 * {@link TokenGate} (quarkus-oidc verification, the same messages), then the caller is the current
 * request's {@link CurrentCaller}, so {@link ProjectAccess} and every service check projects
 * exactly as on REST. With auth off the caller is the local superuser, as on REST.
 */
@ApplicationScoped
public class GrpcCallAuthenticator {

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);

    private final AuthSettings settings;
    private final TokenGate gate;
    private final TenantIdentityProvider identities;
    private final CurrentCaller current;
    private final ForwardedAuthorization forwarded;

    public GrpcCallAuthenticator(AuthSettings settings, TokenGate gate, TenantIdentityProvider identities,
                                 CurrentCaller current, ForwardedAuthorization forwarded) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
        this.current = current;
        this.forwarded = forwarded;
    }

    /**
     * Call on the call's worker thread, with the request context active, before anything is read.
     *
     * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED saying what was wrong with the token
     */
    public void authenticate() {
        if (!settings.enabled()) {
            return;
        }
        String authorization = GrpcAuthorizationCapture.current();
        TokenGate.Result result = gate.authenticate(authorization,
                token -> identities.authenticate(new AccessTokenCredential(token))).await().atMost(VERIFY_TIMEOUT);
        if (!result.ok()) {
            Metadata trailers = new Metadata();
            trailers.put(Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER), "Bearer realm=\"athanor\"");
            throw Status.UNAUTHENTICATED.withDescription(result.problem()).asRuntimeException(trailers);
        }
        current.set(result.caller());
        forwarded.set(authorization);
    }
}
