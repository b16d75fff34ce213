package dev.athanor.query.common.api;

import dev.athanor.query.common.error.ApiError;
import dev.athanor.query.config.QueryConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers a request target (path and query) over {@code athanor.query.max-request-target} with a
 * JSON 414 saying how long it was and what the limit is: the HTTP server's own refusal of a too
 * long request line has no body, so a client could not tell what to change.
 */
public class RequestTargetLimitFilter {

    private final int maxLength;

    public RequestTargetLimitFilter(QueryConfig config) {
        this.maxLength = config.maxRequestTarget();
    }

    @ServerRequestFilter(preMatching = true)
    public Response refuseLongTarget(HttpServerRequest request) {
        int length = request.uri().length();
        if (length <= maxLength) {
            return null;
        }
        ApiError error = ApiError.of(414, "URI_TOO_LONG", ("the request URI is %d characters, over the limit of %d;"
                + " a filter may be 10,000 characters, and long selections can be sent in a POST body where the"
                + " endpoint has one").formatted(length, maxLength), "uri");
        return Response.status(414).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
