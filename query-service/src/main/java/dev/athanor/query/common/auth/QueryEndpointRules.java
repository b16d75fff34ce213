package dev.athanor.query.common.auth;

import dev.athanor.auth.AccessRules;
import dev.athanor.auth.EndpointRules;
import jakarta.enterprise.context.ApplicationScoped;

/** query-service's rule tables, for the start-up check: REST and the data-provider gRPC port. */
@ApplicationScoped
public class QueryEndpointRules implements EndpointRules {

    @Override
    public AccessRules rest() {
        return QueryAccessRules.TABLE;
    }

    @Override
    public AccessRules grpc() {
        return DataProviderAccessRules.TABLE;
    }
}
