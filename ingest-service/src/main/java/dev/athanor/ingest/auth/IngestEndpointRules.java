package dev.athanor.ingest.auth;

import dev.athanor.auth.AccessRules;
import dev.athanor.auth.EndpointRules;
import jakarta.enterprise.context.ApplicationScoped;

/** ingest-service's rule tables, for the start-up check: gRPC only (it serves no REST resource). */
@ApplicationScoped
public class IngestEndpointRules implements EndpointRules {

    @Override
    public AccessRules rest() {
        return AccessRules.of();
    }

    @Override
    public AccessRules grpc() {
        return IngestAccessRules.TABLE;
    }
}
