package dev.athanor.query.common.auth;

import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.PublicEndpoint;
import dev.athanor.auth.TokenGate;
import dev.athanor.query.common.error.ApiError;
import dev.athanor.query.common.error.NotFoundException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST call: with auth on, a valid bearer token (else 401 with what was wrong), then the
 * caller's project grants; and for every path naming a run or an experiment ({@code {runId}},
 * {@code {experimentId}}), a 404 unless the caller may read its project — so a resource added
 * later under those paths is covered without doing anything. Lists and selections filter by
 * project in their SQL (see {@link ProjectAccess}).
 *
 * <p>Runs after the switch to a worker thread (every endpoint here is blocking), so it may wait
 * for the token verification and query the index.
 */
public class AuthFilter {

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);

    private final AuthSettings settings;
    private final TokenGate gate;
    private final CurrentIdentityAssociation identities;
    private final CurrentCaller current;
    private final ProjectAccess access;

    public AuthFilter(AuthSettings settings, TokenGate gate, CurrentIdentityAssociation identities,
                      CurrentCaller current, ProjectAccess access) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
        this.current = current;
        this.access = access;
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (!settings.enabled() || isPublic(resource)) {
            return null;
        }
        TokenGate.Result result = gate.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                token -> identities.getDeferredIdentity()).await().atMost(VERIFY_TIMEOUT);
        if (!result.ok()) {
            return Response.status(401)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"athanor\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(401, "UNAUTHENTICATED", result.problem(), "Authorization"))
                    .build();
        }
        current.set(result.caller());
        try {
            checkPathItems(request);
        } catch (NotFoundException e) {
            return Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(404, "NOT_FOUND", e.getMessage(), e.where())).build();
        }
        return null;
    }

    private void checkPathItems(ContainerRequestContext request) {
        var params = request.getUriInfo().getPathParameters();
        for (String id : values(params.get("experimentId"))) {
            access.requireExperiment(Long.parseLong(id), "experimentId");
        }
        for (String id : values(params.get("runId"))) {
            access.requireRun(Long.parseLong(id), "runId");
        }
    }

    /** Numeric values only: anything else is not an id and the resource answers 404 itself. */
    private static List<String> values(List<String> raw) {
        return raw == null ? List.of() : raw.stream().filter(v -> v.matches("\\d{1,18}")).toList();
    }

    private static boolean isPublic(ResourceInfo resource) {
        return resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(PublicEndpoint.class)
                || resource.getResourceClass().isAnnotationPresent(PublicEndpoint.class));
    }
}
