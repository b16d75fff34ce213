package dev.athanor.auth;

/**
 * A service's rule tables, one bean per service, for {@link UnruledEndpointCheck}: its JAX-RS endpoints'
 * ({@code "GET /api/v1/…"}) and its gRPC methods' (full method names). A service without REST or without
 * gRPC answers an empty table, so an endpoint added there later has no rule and the service will not start.
 */
public interface EndpointRules {

    AccessRules rest();

    AccessRules grpc();
}
