package dev.athanor.auth;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The {@link AccessRule#endpoint() endpoint} a JAX-RS resource method serves:
 * {@code "GET /api/v1/runs/{runId}"} from its HTTP-method annotation and the class's and method's
 * {@code @Path}, as the OpenAPI document writes it.
 */
public final class RestEndpoint {

    private RestEndpoint() {
    }

    /** Null for a method that is no resource method (no HTTP-method annotation). */
    public static String of(Class<?> resource, Method method) {
        String httpMethod = httpMethod(method);
        if (httpMethod == null) {
            return null;
        }
        return httpMethod + " " + join(path(resource), method.getAnnotation(Path.class));
    }

    /** Every resource method's endpoint of the given resource classes. */
    public static List<String> allOf(Collection<Class<?>> resources) {
        List<String> endpoints = new ArrayList<>();
        for (Class<?> resource : resources) {
            for (Method method : resource.getMethods()) {
                if (!Modifier.isStatic(method.getModifiers())) {
                    String endpoint = of(resource, method);
                    if (endpoint != null) {
                        endpoints.add(endpoint);
                    }
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static Path path(Class<?> resource) {
        for (Class<?> c = resource; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.isAnnotationPresent(Path.class)) {
                return c.getAnnotation(Path.class);
            }
        }
        return null;
    }

    private static String join(Path outer, Path inner) {
        String path = "/" + trim(outer) + "/" + trim(inner);
        path = path.replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String trim(Path path) {
        return path == null ? "" : path.value().replaceAll("^/+|/+$", "");
    }
}
