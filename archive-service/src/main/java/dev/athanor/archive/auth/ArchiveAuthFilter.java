package dev.athanor.archive.auth;

import dev.athanor.auth.RestAccessEdge;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The archive REST API's auth edge: service-auth's {@link RestAccessEdge} with the archive's rule
 * table ({@link ArchiveAccessRules}), its item lookup ({@link ProjectOf}) and its error body. Runs on
 * the worker thread (blocking endpoints).
 */
public class ArchiveAuthFilter {

    private final RestAccessEdge edge;
    private final ProjectOf projects;

    public ArchiveAuthFilter(RestAccessEdge edge, ProjectOf projects) {
        this.edge = edge;
        this.projects = projects;
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) {
        return edge.enter(request, resource, ArchiveAccessRules.TABLE, projects, ArchiveAuthFilter::error);
    }

    @ServerResponseFilter
    public void audit(ContainerRequestContext request, ContainerResponseContext response) {
        edge.leave(request, response);
    }

    private static Object error(int status, String code, String message, String where) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", code);
        body.put("message", message);
        return body;
    }
}
