package dev.athanor.ingest.auth;

import dev.athanor.auth.AccessRules;
import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.GrpcAccessEdge;
import dev.athanor.auth.TokenGate;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.oidc.TenantIdentityProvider;
import jakarta.inject.Singleton;

/**
 * service-auth's gRPC edge on every ingest RPC, with {@link IngestAccessRules}; the project role of a
 * project rule is checked by the service on the project the request names ({@link IngestAccess}).
 */
@GlobalInterceptor
@Singleton
public class GrpcAuthInterceptor extends GrpcAccessEdge {

    public GrpcAuthInterceptor(AuthSettings settings, TokenGate gate, TenantIdentityProvider identities) {
        super(settings, gate, identities);
    }

    @Override
    protected AccessRules rules() {
        return IngestAccessRules.TABLE;
    }
}
