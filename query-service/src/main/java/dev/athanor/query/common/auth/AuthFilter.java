package dev.athanor.query.common.auth;

import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.RestAccessEdge;
import dev.athanor.query.common.error.ApiError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * query-service's auth edge: service-auth's {@link RestAccessEdge} with this service's rule table
 * ({@link QueryAccessRules}), its item lookup ({@link ProjectAccess}) and its error body
 * ({@link ApiError}); then the caller's token is kept for the calls this request makes to ingest
 * ({@link ForwardedAuthorization}). Lists and selections filter by project in their SQL.
 *
 * <p>Runs after the switch to a worker thread (every endpoint here is blocking), so it may wait
 * for the token verification and query the index.
 */
public class AuthFilter {

    private final RestAccessEdge edge;
    private final AuthSettings settings;
    private final ProjectAccess access;
    private final ForwardedAuthorization forwarded;

    public AuthFilter(RestAccessEdge edge, AuthSettings settings, ProjectAccess access, ForwardedAuthorization forwarded) {
        this.edge = edge;
        this.settings = settings;
        this.access = access;
        this.forwarded = forwarded;
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Response refused = edge.enter(request, resource, QueryAccessRules.TABLE, access, ApiError::of);
        if (refused == null && settings.enabled()) {
            forwarded.set(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        }
        return refused;
    }

    @ServerResponseFilter
    public void audit(ContainerRequestContext request, ContainerResponseContext response) {
        edge.leave(request, response);
    }
}
