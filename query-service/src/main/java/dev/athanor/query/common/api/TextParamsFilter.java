package dev.athanor.query.common.api;

import dev.athanor.query.common.error.ApiError;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a NUL character in any path or query parameter with a 400 naming the parameter, in one
 * place for every endpoint: PostgreSQL refuses U+0000 in text, so such a value reaching a
 * statement (a filter, a tag, an asset path, a search) was an internal error. Runs before the auth
 * filter, which already reads path parameters from the index.
 */
public class TextParamsFilter {

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public Response refuseNul(UriInfo uri) {
        String bad = firstWithNul(uri.getPathParameters());
        if (bad == null) {
            bad = firstWithNul(uri.getQueryParameters());
        }
        if (bad == null) {
            return null;
        }
        ApiError error = ApiError.of(400, "BAD_REQUEST",
                bad + " contains a NUL character (U+0000), which no parameter may hold", bad);
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    private static String firstWithNul(MultivaluedMap<String, String> params) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getKey().indexOf('\0') >= 0) {
                return "a parameter name";
            }
            for (String value : e.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    return e.getKey();
                }
            }
        }
        return null;
    }
}
