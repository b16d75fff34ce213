package dev.athanor.archive.auth;

import dev.athanor.auth.AccessRules;
import dev.athanor.auth.EndpointRules;
import jakarta.enterprise.context.ApplicationScoped;

/** archive-service's rule tables, for the start-up check: REST only (it serves no gRPC). */
@ApplicationScoped
public class ArchiveEndpointRules implements EndpointRules {

    @Override
    public AccessRules rest() {
        return ArchiveAccessRules.TABLE;
    }

    @Override
    public AccessRules grpc() {
        return AccessRules.of();
    }
}
