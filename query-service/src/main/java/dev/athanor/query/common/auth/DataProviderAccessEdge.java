package dev.athanor.query.common.auth;

import dev.athanor.auth.AccessRules;
import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.GrpcAccessEdge;
import dev.athanor.auth.TokenGate;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.oidc.TenantIdentityProvider;
import jakarta.inject.Singleton;

/** service-auth's gRPC edge on every RPC of query-service's gRPC port, with {@link DataProviderAccessRules}. */
@GlobalInterceptor
@Singleton
public class DataProviderAccessEdge extends GrpcAccessEdge {

    public DataProviderAccessEdge(AuthSettings settings, TokenGate gate, TenantIdentityProvider identities) {
        super(settings, gate, identities);
    }

    @Override
    protected AccessRules rules() {
        return DataProviderAccessRules.TABLE;
    }
}
