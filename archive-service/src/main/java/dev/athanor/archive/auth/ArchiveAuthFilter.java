package dev.athanor.archive.auth;

import dev.athanor.auth.AuditLog;
import dev.athanor.auth.AuthSettings;
import dev.athanor.auth.Caller;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.ProjectGrants;
import dev.athanor.auth.ProjectRole;
import dev.athanor.auth.PublicEndpoint;
import dev.athanor.auth.TokenGate;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Access to the archive's REST API, decided per path so that endpoints added later are covered:
 * <ul>
 *   <li>a path naming its project ({@code /api/v1/projects/{project}/…}: archive policy, deletions,
 *       share links): reader to read, admin to change; no role there is 404;</li>
 *   <li>a path naming a project's item ({@code {segmentId}}, {@code {runId}}, {@code {experimentId}}):
 *       reading needs reader of its project, anything else (restore, share) admin of it; an item of a
 *       project the caller cannot read is 404;</li>
 *   <li>every other path (status, passes: the whole installation): the platform role
 *       {@value ProjectGrants#PLATFORM_ADMIN}.</li>
 * </ul>
 * Every non-GET call is audited with its outcome. Runs on the worker thread (blocking endpoints).
 */
public class ArchiveAuthFilter {

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);
    private static final String AUDIT_PROJECT = "athanor.audit.project";
    private static final String AUDIT_TARGET = "athanor.audit.target";

    private final AuthSettings settings;
    private final TokenGate gate;
    private final CurrentIdentityAssociation identities;
    private final CurrentCaller current;
    private final ProjectOf projects;

    public ArchiveAuthFilter(AuthSettings settings, TokenGate gate, CurrentIdentityAssociation identities,
                             CurrentCaller current, ProjectOf projects) {
        this.settings = settings;
        this.gate = gate;
        this.identities = identities;
        this.current = current;
        this.projects = projects;
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) throws SQLException {
        if (isPublic(resource)) {
            return null;
        }
        Caller caller = Caller.LOCAL;
        if (settings.enabled()) {
            TokenGate.Result result = gate.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                    token -> identities.getDeferredIdentity()).await().atMost(VERIFY_TIMEOUT);
            if (!result.ok()) {
                return error(401, "UNAUTHENTICATED", result.problem())
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"athanor\"").build();
            }
            caller = result.caller();
        }
        current.set(caller);
        boolean read = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
        String action = request.getMethod() + " " + request.getUriInfo().getPath();
        Map<String, Object> target = new LinkedHashMap<>();
        String project = null;
        // Paths naming their project (/api/v1/projects/{project}/...): policies, deletions, share links.
        for (String named : request.getUriInfo().getPathParameters().getOrDefault("project", List.of())) {
            target.put("project", named);
            if (caller.grants().isSuperuser()) {
                continue;
            }
            if (!caller.mayRead(named)) {
                if (!read) {
                    AuditLog.record(caller, action, named, target, AuditLog.Outcome.DENIED, "no role in the project");
                }
                return error(404, "NOT_FOUND", "project " + named + " not found").build();
            }
            ProjectRole needed = read ? ProjectRole.READER : ProjectRole.ADMIN;
            if (!caller.grants().may(needed, named)) {
                String message = action + " needs the role " + needed.label() + " in project '" + named + "'";
                AuditLog.record(caller, action, named, target, AuditLog.Outcome.DENIED, message);
                return error(403, "PERMISSION_DENIED", message).build();
            }
            project = named;
        }
        for (String parameter : ProjectOf.QUERIES.keySet()) {
            for (String raw : values(request.getUriInfo().getPathParameters().get(parameter))) {
                long id = Long.parseLong(raw);
                target.put(parameter, id);
                if (caller.grants().isSuperuser()) {
                    continue;   // auth off: the resource answers for missing items itself
                }
                Optional<String> owner = projects.lookup(parameter, id);
                if (owner.isEmpty() || !caller.mayRead(owner.get())) {
                    if (!read) {
                        AuditLog.record(caller, action, owner.orElse(null), target, AuditLog.Outcome.DENIED,
                                "no such item in the caller's projects");
                    }
                    return error(404, "NOT_FOUND", parameter.replace("Id", "") + " " + id + " not found").build();
                }
                ProjectRole needed = read ? ProjectRole.READER : ProjectRole.ADMIN;
                if (!caller.grants().may(needed, owner.get())) {
                    String message = action + " needs the role " + needed.label() + " in project '" + owner.get() + "'";
                    AuditLog.record(caller, action, owner.get(), target, AuditLog.Outcome.DENIED, message);
                    return error(403, "PERMISSION_DENIED", message).build();
                }
                project = owner.get();
            }
        }
        if (project == null && !target.containsKey("project") && !caller.grants().isPlatformAdmin()) {
            String message = action + " concerns the whole installation and needs the platform role "
                    + ProjectGrants.PLATFORM_ADMIN + " (a client role of athanor-api, in athanor_roles)";
            if (!read) {
                AuditLog.record(caller, action, null, target, AuditLog.Outcome.DENIED, message);
            }
            return error(403, "PERMISSION_DENIED", message).build();
        }
        if (!read) {
            request.setProperty(AUDIT_PROJECT, project);
            request.setProperty(AUDIT_TARGET, target);
        }
        return null;
    }

    /** The outcome of every write that got past the checks above. */
    @ServerResponseFilter
    @SuppressWarnings("unchecked")
    public void audit(ContainerRequestContext request, ContainerResponseContext response) {
        Object target = request.getProperty(AUDIT_TARGET);
        if (target == null) {
            return;
        }
        int status = response.getStatus();
        AuditLog.record(current.get(), request.getMethod() + " " + request.getUriInfo().getPath(),
                (String) request.getProperty(AUDIT_PROJECT), (Map<String, Object>) target,
                status < 400 ? AuditLog.Outcome.ALLOWED : AuditLog.Outcome.FAILED, "HTTP " + status);
    }

    private static Response.ResponseBuilder error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", code);
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    }

    private static List<String> values(List<String> raw) {
        return raw == null ? List.of() : raw.stream().filter(v -> v.matches("\\d{1,18}")).toList();
    }

    private static boolean isPublic(ResourceInfo resource) {
        return resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(PublicEndpoint.class)
                || resource.getResourceClass().isAnnotationPresent(PublicEndpoint.class));
    }
}
