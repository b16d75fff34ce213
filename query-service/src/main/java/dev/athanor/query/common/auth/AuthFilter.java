package dev.athanor.query.common.auth;

import dev.athanor.auth.AccessDeniedException;
import dev.athanor.auth.AuditLog;
import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.PublicEndpoint;
import dev.athanor.auth.TokenGate;
import dev.athanor.query.common.error.ApiError;
import dev.athanor.query.common.error.NotFoundException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every REST call: with auth on, a valid bearer token (else 401 with what was wrong), then the
 * caller's project grants; and for every path naming a project's item ({@code {experimentId}},
 * {@code {runId}}, {@code {segmentId}}), a 404 unless the caller may read its project, and for a
 * call changing something there (not GET) writer of it, audited — so a resource added later under
 * those paths is covered without doing anything. Lists and selections filter by
 * project in their SQL (see {@link ProjectAccess}).
 *
 * <p>Runs after the switch to a worker thread (every endpoint here is blocking), so it may wait
 * for the token verification and query the index.
 */
public class AuthFilter {

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);
    /** Path parameters naming a project's item, checked in this order. */
    private static final List<String> ITEM_PARAMETERS = List.of("experimentId", "runId", "segmentId");
    private static final String AUDIT_PROJECT = "athanor.audit.project";
    private static final String AUDIT_TARGET = "athanor.audit.target";

    private final AuthSettings settings;
    private final TokenGate gate;
    private final CurrentIdentityAssociation identities;
    private final CurrentCaller current;
    private final ProjectAccess access;
    private final ForwardedAuthorization forwarded;
    private final AuditDetail detail;

    public AuthFilter(AuthSettings settings, TokenGate gate, CurrentIdentityAssociation identities,
                      CurrentCaller current, ProjectAccess access, ForwardedAuthorization forwarded, AuditDetail detail) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
        this.current = current;
        this.access = access;
        this.forwarded = forwarded;
        this.detail = detail;
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (isPublic(resource)) {
            return null;
        }
        if (!settings.enabled()) {
            // Local superuser: nothing to check, but writes are still audited.
            return checkPathItems(request, Caller.LOCAL);
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
        forwarded.set(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        return checkPathItems(request, result.caller());
    }

    /**
     * Every project item the path names must be readable (404 otherwise); a call that changes
     * something under it needs writer of its project (403) and is audited.
     */
    private Response checkPathItems(ContainerRequestContext request, Caller caller) {
        boolean write = !HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod());
        String action = request.getMethod() + " " + request.getUriInfo().getPath();
        Map<String, Object> target = new LinkedHashMap<>();
        String project = null;
        var params = request.getUriInfo().getPathParameters();
        for (String parameter : ITEM_PARAMETERS) {
            for (String id : values(params.get(parameter))) {
                target.put(parameter, Long.parseLong(id));
                try {
                    project = access.readableProjectOf(parameter, Long.parseLong(id));
                } catch (NotFoundException e) {
                    if (write) {
                        AuditLog.record(caller, action, null, target, AuditLog.Outcome.DENIED, e.getMessage());
                    }
                    return Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(ApiError.of(404, "NOT_FOUND", e.getMessage(), e.where())).build();
                }
            }
        }
        if (write && !target.isEmpty()) {
            if (project != null && !caller.mayWrite(project)) {
                AccessDeniedException denied = new AccessDeniedException(action, project, ProjectRole.WRITER);
                AuditLog.record(caller, action, project, target, AuditLog.Outcome.DENIED, denied.getMessage());
                return Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ApiError.of(403, "PERMISSION_DENIED", denied.getMessage(), "project")).build();
            }
            request.setProperty(AUDIT_TARGET, target);
            request.setProperty(AUDIT_PROJECT, project);
        }
        return null;
    }

    /**
     * The outcome of every write under a project item that got past the checks, with what the
     * service said it changed ({@link AuditDetail}).
     */
    @ServerResponseFilter
    @SuppressWarnings("unchecked")
    public void audit(ContainerRequestContext request, ContainerResponseContext response) {
        Object target = request.getProperty(AUDIT_TARGET);
        if (target == null) {
            return;
        }
        int status = response.getStatus();
        Map<String, Object> row = new LinkedHashMap<>((Map<String, Object>) target);
        row.putAll(detail.fields());
        AuditLog.record(current.get(), request.getMethod() + " " + request.getUriInfo().getPath(),
                (String) request.getProperty(AUDIT_PROJECT), row,
                status < 400 ? AuditLog.Outcome.ALLOWED : AuditLog.Outcome.FAILED, "HTTP " + status);
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
