package dev.athanor.auth;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The REST auth edge every service runs, from a filter that supplies only its rule table, its item
 * lookup and its error body: rule (none → 403 for everyone), token → {@link Caller} (401 with what was
 * wrong), {@link AccessCheck}, and the audit line of a change once its response is known.
 *
 * <p>Call from a {@code @ServerRequestFilter} on the worker thread (it waits for the token
 * verification and the item lookups) and from a {@code @ServerResponseFilter}.
 */
@ApplicationScoped
public class RestAccessEdge {

    /** The service's error body for a refusal. */
    @FunctionalInterface
    public interface RefusalBody {
        Object of(int status, String code, String message, String where);
    }

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);
    private static final String AUDIT = "athanor.access.audit";

    private final AuthSettings settings;
    private final TokenGate gate;
    private final CurrentIdentityAssociation identities;
    private final CurrentCaller current;
    private final AuditDetail detail;
    private final Map<Method, String> endpoints = new ConcurrentHashMap<>();

    public RestAccessEdge(AuthSettings settings, TokenGate gate, CurrentIdentityAssociation identities,
                          CurrentCaller current, AuditDetail detail) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
        this.current = current;
        this.detail = detail;
    }

    /** Null to let the call through, else the refusal to answer. */
    public Response enter(ContainerRequestContext request, ResourceInfo resource, AccessRules rules,
                          ItemProjects items, RefusalBody body) {
        Method method = resource.getResourceMethod();
        // No resource method matched (404 / 405 follow): nothing to protect, but the token is still checked.
        Optional<AccessRule> rule = method == null ? Optional.empty()
                : Optional.of(endpoint(resource, method)).flatMap(rules::find);
        if (method != null && rule.isEmpty()) {
            String message = AccessRules.noRuleMessage(endpoint(resource, method));
            return refusal(403, "PERMISSION_DENIED", message, "path", body).build();
        }
        if (rule.isPresent() && rule.get().access() == Access.PUBLIC) {
            return null;
        }
        Caller caller = Caller.LOCAL;
        if (settings.enabled()) {
            TokenGate.Result result = gate.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                    token -> identities.getDeferredIdentity()).await().atMost(VERIFY_TIMEOUT);
            if (!result.ok()) {
                return refusal(401, "UNAUTHENTICATED", result.problem(), "Authorization", body)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"athanor\"").build();
            }
            caller = result.caller();
        }
        current.set(caller);
        if (rule.isEmpty()) {
            return null;
        }
        String verb = request.getMethod();
        boolean change = !HttpMethod.GET.equals(verb) && !HttpMethod.HEAD.equals(verb);
        AccessCheck.Verdict verdict = AccessCheck.decide(caller, rule.get(), action(request), change,
                request.getUriInfo().getPathParameters(), items);
        if (verdict instanceof AccessCheck.Refused refused) {
            return refusal(refused.status(), refused.code(), refused.message(), refused.where(), body).build();
        }
        AccessCheck.Allowed allowed = (AccessCheck.Allowed) verdict;
        if (allowed.audited()) {
            request.setProperty(AUDIT, allowed);
        }
        return null;
    }

    /** The outcome of every audited change that got past the checks, with what the service said it changed. */
    public void leave(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(AUDIT) instanceof AccessCheck.Allowed allowed)) {
            return;
        }
        int status = response.getStatus();
        Map<String, Object> row = new LinkedHashMap<>(allowed.target());
        row.putAll(detail.fields());
        AuditLog.record(current.get(), action(request), allowed.project(), row,
                status < 400 ? AuditLog.Outcome.ALLOWED : AuditLog.Outcome.FAILED, "HTTP " + status);
    }

    private String endpoint(ResourceInfo resource, Method method) {
        return endpoints.computeIfAbsent(method, m -> RestEndpoint.of(resource.getResourceClass(), m));
    }

    private static String action(ContainerRequestContext request) {
        return request.getMethod() + " " + request.getUriInfo().getPath();
    }

    private static Response.ResponseBuilder refusal(int status, String code, String message, String where,
                                                    RefusalBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.of(status, code, message, where));
    }
}
